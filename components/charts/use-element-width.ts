"use client";

import { useEffect, useRef, useState, type RefObject } from "react";

/**
 * The rendered width of an element, kept current with a ResizeObserver; 0 until it is measured
 * (on the server and in the first client render), which callers treat as "not laid out yet".
 */
export function useElementWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      // Whole pixels: sub-pixel changes while a scrollbar comes and goes would re-render every chart.
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return [ref, width];
}
