/**
 * A database connection that is opened again after the browser drops it. Chromium closes a
 * connection when a write fails for want of disk space ("Connection is closing because of:
 * IO error"); without this, every later command would fail until a reload, even once there
 * is room again. A connection closed on purpose (for another tab's upgrade) is not reopened.
 */
export async function reconnecting<DB>(
  open: (dropped: () => void) => Promise<DB>,
): Promise<() => Promise<DB>> {
  let connection: Promise<DB> | null = null;
  const connect = (): Promise<DB> => {
    const opening = open(() => {
      if (connection === opening) connection = null;
    });
    connection = opening;
    opening.catch(() => {
      if (connection === opening) connection = null;
    });
    return opening;
  };
  await connect();
  return () => connection ?? connect();
}
