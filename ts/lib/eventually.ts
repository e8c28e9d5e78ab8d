// Polling for the state a controller reaches in its own time.

/** Retries `read` every second until `ok` holds or `seconds` pass; returns the last value either way. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    value = await read();
  }
  return value;
}
