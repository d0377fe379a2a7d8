import { useState } from 'react';

/**
 * Copies a link to the clipboard and says so for two seconds (`copied`); where the clipboard is
 * refused (no permission, an insecure origin), the link is offered in a prompt to copy by hand.
 */
export function useCopyLink(
  link: string,
  promptText = 'Copy this link:',
): { copied: boolean; copy: () => Promise<void> } {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      window.prompt(promptText, link);
    }
  };
  return { copied, copy };
}
