import { AutoComplete, Input, InputNumber } from 'antd';
import { useEffect, useState } from 'react';

/**
 * Inputs that edit one filter of the URL: typing stays local, the URL changes on Enter, on leaving
 * the field or on picking a suggestion (not on every key, which would reload the list each time).
 */
export function TextFilter(props: {
  value: string | undefined;
  onCommit: (v: string | undefined) => void;
  /** Offered as the user types: each value with its number of calls, most first. */
  suggestions: Array<{ value: string; calls: number }>;
  /** Called when the field gets focus (to load the suggestions on first need). */
  onFocus?: () => void;
  placeholder: string;
  testId: string;
  className?: string;
}) {
  const { value, onCommit } = props;
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = (v: string) => {
    const next = v.trim();
    if (next !== (value ?? '')) onCommit(next || undefined);
  };
  const options = props.suggestions
    .filter((s) => s.value.includes(text.trim()))
    .slice(0, 100)
    .map((s) => ({ value: s.value, label: <SuggestionLabel value={s.value} calls={s.calls} /> }));
  return (
    <AutoComplete
      className={props.className ?? 'tj-filter-text'}
      value={text}
      options={options}
      onChange={(v: string) => {
        setText(v);
        if (v === '') commit('');
      }}
      onSelect={(v: string) => {
        setText(v);
        commit(v);
      }}
      onBlur={() => commit(text)}
      onFocus={props.onFocus}
    >
      <Input placeholder={props.placeholder} allowClear data-testid={props.testId} onPressEnter={() => commit(text)} />
    </AutoComplete>
  );
}

function SuggestionLabel({ value, calls }: { value: string; calls: number }) {
  return (
    <span className="tj-suggestion">
      <span>{value}</span>
      <span className="tj-suggestion-count">{calls}</span>
    </span>
  );
}

/** A number filter; `scale` turns what is typed into the URL's unit (seconds → ms: 1000). */
export function NumberFilter(props: { value: string | undefined; onCommit: (v: string | undefined) => void; placeholder: string; testId: string; min: number; max: number; scale?: number }) {
  const scale = props.scale ?? 1;
  const fromUrl = (v: string | undefined) => (v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v) / scale);
  const [n, setN] = useState<number | null>(fromUrl(props.value));
  useEffect(() => setN(fromUrl(props.value)), [props.value]);
  const commit = () => {
    const next = n === null ? undefined : String(Math.round(n * scale * 10) / 10);
    if (next !== props.value) props.onCommit(next);
  };
  return (
    <InputNumber
      className="tj-filter-number"
      value={n}
      min={props.min}
      max={props.max}
      placeholder={props.placeholder}
      onChange={(v) => setN(typeof v === 'number' ? v : null)}
      onBlur={commit}
      onPressEnter={commit}
      data-testid={props.testId}
    />
  );
}
