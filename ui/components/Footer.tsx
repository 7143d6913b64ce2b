import {Line} from './Line.js';

type Props = {
  /** Key hints for the current place (`j/k move`, ...). */
  readonly keys: readonly string[];
};

/** The bottom line: the keys that apply here. */
export function Footer({keys}: Props) {
  return <Line spans={[{text: ` ${keys.join('  ')}`, dim: true}]} />;
}
