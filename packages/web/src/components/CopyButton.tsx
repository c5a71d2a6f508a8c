import { useState } from 'react';

/** Copies `text`; says so for a moment (and where the clipboard is refused, how to copy). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState<string | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => {
        setSaid('Copied');
      },
      () => {
        setSaid('Select the text and copy it');
      },
    );
    setTimeout(() => {
      setSaid(null);
    }, 2000);
  };
  return (
    <button type="button" className="small" onClick={copy} aria-label={label}>
      {said ?? 'Copy'}
    </button>
  );
}
