/** A map that forgets everything when it reaches its limit: for compiled patterns whose keys could be endless. */
export class BoundedCache<T> {
  private readonly entries = new Map<string, T>()

  constructor (private readonly limit = 1000) {}

  get (key: string, make: () => T): T {
    let value = this.entries.get(key)
    if (value === undefined) {
      if (this.entries.size >= this.limit) this.entries.clear()
      value = make()
      this.entries.set(key, value)
    }
    return value
  }
}
