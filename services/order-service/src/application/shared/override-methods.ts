/**
 * A view of `target` with some methods replaced (a decorator over a port). Everything else is the
 * target's own, bound to it, so adapters keep working whatever they hold in `this`. Bound methods
 * are made once per name: every store call on the request path goes through here.
 */
export function overrideMethods<T extends object>(target: T, overrides: Partial<T>): T {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      let fn = bound.get(prop);
      if (fn === undefined) {
        fn = value.bind(t);
        bound.set(prop, fn);
      }
      return fn;
    },
  });
}
