import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import {
  closeWindow,
  NO_ANSWER,
  newWindowId,
  showWindow,
  windowsStore,
  type WindowState,
} from '../stores/readSide';
import type { Query } from '../worker/protocol';

/** Subscribes a view to a window of the read models for as long as it is mounted. */
export function useWindow(query: Query): WindowState {
  const [subId] = useState(newWindowId);
  const key = JSON.stringify(query);
  useEffect(
    () => () => {
      closeWindow(subId);
    },
    [subId],
  );
  useEffect(() => {
    showWindow(subId, JSON.parse(key) as Query);
  }, [subId, key]);
  return useStore(windowsStore, (s) => s[subId] ?? NO_ANSWER);
}

/** The window's rows in order, skipping any a patch has not delivered yet. */
export function windowRows<Row>(window: WindowState): Row[] {
  return window.keys.flatMap((k) => {
    const row = window.rows.get(k);
    return row === undefined ? [] : [row as Row];
  });
}
