import { useEffect, useState } from "preact/hooks";

/** A running job: elapsed time, what it is doing, and a Cancel button (Escape cancels too). */
export function Progress({ label, startedAt, done, total, onCancel }: { label: string; startedAt: number; done?: number; total?: number; onCancel: () => void }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    const key = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    addEventListener("keydown", key);
    return () => {
      clearInterval(t);
      removeEventListener("keydown", key);
    };
  }, [onCancel]);
  const fraction = done !== undefined && total ? done / total : undefined;
  return (
    <div class="progress" role="status" aria-live="polite">
      <progress max={1} {...(fraction !== undefined ? { value: fraction } : {})} />
      <span>
        {label} — {((now - startedAt) / 1000).toFixed(1)} s{fraction !== undefined ? ` (${done}/${total})` : ""}
      </span>
      <button type="button" class="cancel" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
