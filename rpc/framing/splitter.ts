/**
What a framing splitter tells the reader: a frame (with a note when the framing around it was wrong), a fault
to answer, or bytes it skipped to find the next message again.
*/
import type {ProtocolFault} from './fault.js';

export type FrameNote =
  | {readonly kind: 'complete'}
  /** The declared Content-Length ran into the next message's header; the overrun went back to the queue. */
  | {readonly kind: 'overrun'; readonly declared: number; readonly actual: number}
  /** Nothing more arrived for a while (or the input ended) with the message still incomplete. */
  | {readonly kind: 'incomplete'; readonly declared?: number; readonly received: number};

export interface SplitterSink {
  frame(body: Buffer, note: FrameNote): void;
  fault(fault: ProtocolFault): void;
  /** Bytes that belonged to no message (junk before a header); logged, never answered. */
  skipped(bytes: number, reason: string): void;
}

export interface FrameSplitter {
  push(chunk: Buffer): void;
  /** Bytes of a message received so far but not complete (0 between messages). */
  readonly pending: number;
  /** Gives up on the incomplete message: it goes to the sink as an `incomplete` frame. */
  expire(): void;
}

export const COMPLETE: FrameNote = {kind: 'complete'};
