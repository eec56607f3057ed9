/**
 * A process-wide cache of things made once per key (an ONNX session, a loaded model). A promise that
 * rejects is dropped, so a later call for the same key tries again (after the file is fixed, say).
 * @example const load = processCache<Session>(); const session = await load(path, () => open(path));
 */
export function processCache<T>(): (key: string, make: () => Promise<T>) => Promise<T> {
  const made = new Map<string, Promise<T>>();
  return (key, make) => {
    let promise = made.get(key);
    if (promise === undefined) {
      const making = new Promise<T>((resolve) => resolve(make()));
      made.set(key, making);
      making.catch(() => {
        if (made.get(key) === making) made.delete(key);
      });
      promise = making;
    }
    return promise;
  };
}
