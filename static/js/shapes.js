// The JSON the server sends, as JSDoc typedefs for tsc --checkJs: a mirror of workshop/shapes.py
// (tests/unit/test_shapes.py keeps the fields the same). Nothing here runs.

/**
 * The Socket.IO client socket, as far as the pages use it.
 * @typedef {Object} Socket
 * @property {boolean} connected
 * @property {string} [id]
 * @property {(event: string, listener: (payload?: any, ...rest: any[]) => void) => Socket} on
 * @property {(event: string, listener?: (...args: any[]) => void) => Socket} off
 * @property {(listener: (event: string, ...args: any[]) => void) => Socket} onAny
 * @property {(event: string, ...args: any[]) => Socket} emit
 * @property {(milliseconds: number) => { emit: (event: string, ...args: any[]) => void }} timeout
 * @property {() => Socket} connect
 * @property {() => Socket} disconnect
 * @property {{ engine?: { transport?: { name: string } } }} [io]
 */

/**
 * @typedef {Object} ErrorJSON
 * @property {string} code
 * @property {string} message
 */

/**
 * Every acknowledgement: `ok`, and `error` when it is false; the event adds its own keys.
 * @typedef {Object} AckJSON
 * @property {boolean} ok
 * @property {ErrorJSON} [error]
 */

/**
 * @typedef {Object} WorkshopJSON
 * @property {string} code
 * @property {string} title
 * @property {string} language
 * @property {string | null} organiser
 * @property {string | null} place
 * @property {string | null} question
 * @property {string[]} dates
 * @property {string[]} sectors
 * @property {Object<string, string>} shown
 */

/**
 * @typedef {Object} RoundJSON
 * @property {number} id
 * @property {number} block
 * @property {number} position
 * @property {string | null} title
 * @property {string} question
 * @property {number} minutes
 * @property {string} status
 * @property {string | null} started_at
 * @property {string | null} ends_at
 * @property {string | null} closed_at
 * @property {number} version
 * @property {boolean} reveal
 * @property {boolean} moderated
 * @property {boolean} anonymous
 * @property {Object<string, string>} shown
 */

/**
 * @typedef {Object} TableJSON
 * @property {number} number
 * @property {string | null} theme
 * @property {number | null} capacity
 * @property {string | null} host
 * @property {number | null} host_id
 * @property {Object<string, string>} shown
 */

/**
 * @typedef {Object} WallJSON
 * @property {Array<Object<string, any>>} slots
 * @property {Array<Object<string, any>>} spaces
 * @property {Array<Object<string, any>>} cells
 */

/**
 * @typedef {Object} VoteJSON
 * @property {string} status
 * @property {number | null} dots
 * @property {number | null} top
 */

/**
 * @typedef {Object} BlockJSON
 * @property {number} id
 * @property {string | null} key
 * @property {string} title
 * @property {string} day
 * @property {string | null} part
 * @property {string} method
 * @property {string | null} description
 * @property {string} harvest
 * @property {string | null} harvest_opened_at
 * @property {RoundJSON[]} rounds
 * @property {TableJSON[]} tables
 * @property {Object<string, string>} shown
 * @property {WallJSON} [wall]
 * @property {VoteJSON} [vote]
 */

/**
 * @typedef {Object} NoteJSON
 * @property {string} id
 * @property {string} text
 * @property {number | null} round
 * @property {number | null} block
 * @property {number | null} table
 * @property {string | null} topic
 * @property {string | null} color
 * @property {string | null} author
 * @property {string | null} created_at
 * @property {number} votes
 * @property {boolean} hidden
 * @property {string} kind
 * @property {boolean} starred
 * @property {number | null} theme
 * @property {number | null} section
 * @property {string | null} tag
 * @property {string | null} owner
 * @property {string | null} due
 * @property {boolean} revealed
 * @property {boolean} approved
 * @property {boolean} anonymous
 * @property {Object<string, string>} [shown]
 */

/**
 * @typedef {Object} TopicJSON
 * @property {string} id
 * @property {number} block
 * @property {string} title
 * @property {string | null} description
 * @property {string | null} convener
 * @property {number | null} convener_id
 * @property {string | null} slot
 * @property {string | null} space
 * @property {number} attendance
 * @property {number} votes
 * @property {boolean} selected
 * @property {Object<string, string>} shown
 */

/**
 * `notes:waiting` and the board's and console's `waiting`: notes of the round not yet revealed or approved.
 * @typedef {Object} WaitingJSON
 * @property {number | null} round
 * @property {number} count
 */

/**
 * `notes:shown`: notes revealed or approved together, as this audience may see them.
 * @typedef {Object} NotesShownJSON
 * @property {number} round
 * @property {number | null} table
 * @property {NoteJSON[]} notes
 */

/**
 * @typedef {Object} CurrentJSON
 * @property {number | null} block
 * @property {number | null} round
 */

/**
 * A phone's own part of its snapshot.
 * @typedef {Object} MeJSON
 * @property {string} token
 * @property {string | null} name
 * @property {string | null} sector
 * @property {number | null} table
 * @property {string[]} notes
 * @property {number | null} host
 * @property {Object<string, any> | null} move
 * @property {number | null} expected
 * @property {string[]} topics
 * @property {string | null} attending
 * @property {Array<Object<string, any>>} dots
 * @property {number | null} dots_left
 */

/**
 * The state of `join`'s ack and of `state:get`: what one role may see.
 * @typedef {Object} SnapshotJSON
 * @property {WorkshopJSON} workshop
 * @property {BlockJSON[]} blocks
 * @property {CurrentJSON} current
 * @property {NoteJSON[]} notes
 * @property {TopicJSON[]} topics
 * @property {string} now
 * @property {string} role
 * @property {MeJSON} [me]
 * @property {Array<Object<string, any>>} [themes]
 * @property {Array<Object<string, any>>} [sections]
 * @property {string} [board_view]
 * @property {Array<Object<string, any>>} [photos]
 * @property {Object<string, any>} [seating]
 * @property {Array<Object<string, any>>} [participants]
 * @property {WaitingJSON} [waiting]
 */
/**
 * A key term of the visible notes: its most frequent written form, the notes that hold it.
 * @typedef {Object} TermJSON
 * @property {string} term
 * @property {number} count
 * @property {string[]} notes
 */

/**
 * `terms:get`'s ack (besides `ok`) and `GET /w/CODE/terms.json`: most frequent first.
 * @typedef {Object} TermsJSON
 * @property {TermJSON[]} terms
 */
export {};
