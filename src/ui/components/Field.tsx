// A labelled text input or text area, the way every form of the app lays them out.
export interface FieldProps {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  /** A text area for free text (the default), or an input of this type. */
  type?: 'textarea' | 'text' | 'date';
  /** Right-to-left text follows its content; dates and numbers read left to right. */
  dir?: 'auto' | 'ltr';
  required?: boolean;
  maxLength?: number;
  /** The keyboard a phone shows: digits for numbers. */
  inputMode?: 'numeric' | 'text' | 'decimal' | 'tel' | undefined;
  /** What is wrong with the value, shown under it and announced. */
  error?: string | undefined;
}

/**
 * A Field's value and input handler for one text key of a form kept in component state:
 * `<Field label={…} name="code" {...bindField(form, setForm, 'code')} />`.
 */
export function bindField<K extends string, F extends Record<K, string>>(
  form: F,
  setForm: (next: F) => void,
  key: K,
): Pick<FieldProps, 'value' | 'onInput'> {
  return {
    value: form[key],
    onInput: (value) => {
      setForm({ ...form, [key]: value });
    },
  };
}

export function Field({
  label,
  name,
  value,
  onInput,
  type = 'textarea',
  dir = 'auto',
  error,
  ...rest
}: FieldProps) {
  const errorId = `${name}-error`;
  const common = {
    name,
    dir,
    value,
    ...rest,
    'aria-invalid': error !== undefined,
    'aria-describedby': error === undefined ? undefined : errorId,
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      onInput(e.currentTarget.value);
    },
  };
  return (
    <label class="field">
      <span>{label}</span>
      {type === 'textarea' ? <textarea {...common} /> : <input type={type} {...common} />}
      {error !== undefined && (
        <span class="error" role="alert" id={errorId}>
          {error}
        </span>
      )}
    </label>
  );
}

export interface SelectFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  /** A first, empty choice ("choose…"), when nothing need be chosen yet. */
  placeholder?: string;
  disabled?: boolean;
}

/** A labelled drop-down list, laid out like Field. */
export function SelectField({
  label,
  name,
  value,
  onChange,
  options,
  placeholder,
  disabled,
}: SelectFieldProps) {
  return (
    <label class="field">
      <span>{label}</span>
      <select
        name={name}
        value={value}
        disabled={disabled}
        onChange={(e) => {
          onChange(e.currentTarget.value);
        }}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The search box of a list: its placeholder is its label. */
export function SearchBox({
  label,
  value,
  onInput,
  testId,
}: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  testId?: string;
}) {
  return (
    <input
      class="search"
      type="search"
      aria-label={label}
      placeholder={label}
      data-testid={testId}
      value={value}
      onInput={(e) => {
        onInput(e.currentTarget.value);
      }}
    />
  );
}
