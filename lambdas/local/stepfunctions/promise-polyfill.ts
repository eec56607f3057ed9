/**
 * aws-local-stepfunctions 3.0.0 calls Promise.withResolvers (Node 22+). On Node 20 every Task state
 * would fail and crash the process with an unhandled rejection, so this adds it first.
 */
interface WithResolvers {
  withResolvers?: <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason?: unknown) => void };
}

const promiseCtor = Promise as unknown as WithResolvers;
if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
