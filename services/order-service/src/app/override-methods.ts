/**
 * A view of `target` with some methods replaced (a decorator over a port). Everything else is the
 * target's own, bound to it, so adapters keep working whatever they hold in `this`.
 */
export function overrideMethods<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}
