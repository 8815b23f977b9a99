// What the phone keeps per workshop code (its token, the outboxes, the notes refused for good), in
// localStorage; in memory only when localStorage is refused (private mode, full).

/**
 * @param {string} code the workshop's code
 * @returns {{ get: (name: string, fallback: any) => any, set: (name: string, value: any) => void }}
 */
export function phoneStore(code) {
  const memory = new Map();
  return {
    get(name, fallback) {
      const key = `workshop:${code}:${name}`;
      try {
        const value = window.localStorage.getItem(key);
        if (value !== null) return JSON.parse(value);
      } catch {
        if (memory.has(key)) return memory.get(key);
      }
      return memory.has(key) ? memory.get(key) : fallback;
    },
    set(name, value) {
      const key = `workshop:${code}:${name}`;
      memory.set(key, value);
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // private mode or full: the memory copy still holds it for this visit
      }
    },
  };
}
