/** Editing the one-line prompt. Backspace arrives as `key.delete` in Ink 6 (tui-anchors 6.5), so both erase. */
import type {KeyInfo} from './keymap.js';

export type PromptEdit =
  | {readonly type: 'text'; readonly text: string}
  | {readonly type: 'submit'; readonly text: string}
  | {readonly type: 'cancel'};

/** The prompt after one key. */
export function editPrompt(text: string, input: string, key: KeyInfo): PromptEdit {
  if (key.escape || (key.ctrl && input === 'c')) return {type: 'cancel'};
  if (key.return) return {type: 'submit', text};
  if (key.backspace || key.delete) {
    // Erasing past the start closes the prompt, as in vim and k9s.
    if (text === '') return {type: 'cancel'};
    // By grapheme, so an accented letter or an emoji goes in one press.
    const graphemes = Array.from(new Intl.Segmenter().segment(text), (s) => s.segment);
    return {type: 'text', text: graphemes.slice(0, -1).join('')};
  }
  if (key.ctrl && input === 'u') return {type: 'text', text: ''};
  if (key.ctrl && input === 'w') return {type: 'text', text: text.replace(/\S*\s*$/, '')};
  if (key.ctrl || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) {
    return {type: 'text', text};
  }
  // A paste arrives as one string; keep it on one line.
  return {type: 'text', text: text + input.replace(/[\r\n]+/g, ' ')};
}
