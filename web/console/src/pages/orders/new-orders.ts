/**
 * New orders without a reload: every 10 s the screen asks for the newest order (`GET /orders?limit=1`, one row
 * and the counts), and the total under no filter tells how many arrived since the screen opened (orders are
 * never deleted, so the total only grows with new ones). Each arrival pops a 「新订单」 notice and, when the
 * merchant turned the sound on (remembered in this browser; off by default), a short beep.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { App } from 'antd';
import { api } from '../../api.ts';
import { itemLine, yuan, type OrderPage } from './model.ts';

const POLL_MS = 10_000;
const SOUND_KEY = 'guang.orders.sound';

export interface NewOrders {
  /** Orders that arrived since the merchant last looked at the list. */
  readonly fresh: number;
  /** Grows at every arrival: the list reloads on it. */
  readonly arrivals: number;
  /** The merchant has seen them (the list shows the newest). */
  readonly seen: () => void;
  readonly sound: boolean;
  readonly setSound: (on: boolean) => void;
}

function storedSound(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === '1';
  } catch {
    return false;
  }
}

let audio: AudioContext | null = null;

/** A short two-tone beep through Web Audio (no sound file to fetch). */
function beep(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
    const now = audio.currentTime;
    for (const [i, hz] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.2, now + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.15 + 0.14);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.15);
      osc.stop(now + i * 0.15 + 0.15);
    }
  } catch {
    // No audio here (a locked-down browser): the notice still shows.
  }
}

/** @example const news = useNewOrders(); … <Badge count={news.fresh}>新订单</Badge> */
export function useNewOrders(): NewOrders {
  const { notification } = App.useApp();
  const [fresh, setFresh] = useState(0);
  const [arrivals, setArrivals] = useState(0);
  const [sound, setSoundState] = useState(storedSound);
  const soundRef = useRef(sound);
  soundRef.current = sound;

  useEffect(() => {
    let total: number | null = null;
    let gone = false;
    const check = async () => {
      try {
        const page = await api<OrderPage>('GET', '/orders?limit=1');
        if (gone) return;
        if (total !== null && page.total > total) {
          const n = page.total - total;
          const newest = page.items[0];
          setFresh((f) => f + n);
          setArrivals((a) => a + 1);
          notification.info({
            key: 'new-orders',
            title: n === 1 ? '新订单' : `新订单 ${n} 单`,
            description: newest ? `订单 ${newest.id}：${newest.items.map(itemLine).join('，')}，${yuan(newest.total_fen)}` : undefined,
            placement: 'topRight',
          });
          if (soundRef.current) beep();
        }
        total = page.total;
      } catch {
        // A missed poll (network, signed out): the next one tries again.
      }
    };
    void check();
    const timer = setInterval(() => void check(), POLL_MS);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, [notification]);

  const setSound = useCallback((on: boolean) => {
    setSoundState(on);
    try {
      localStorage.setItem(SOUND_KEY, on ? '1' : '0');
    } catch {
      // Not remembered; this visit still uses it.
    }
    if (on) beep(); // the click is the gesture browsers want before they play sound
  }, []);

  return { fresh, arrivals, seen: useCallback(() => setFresh(0), []), sound, setSound };
}
