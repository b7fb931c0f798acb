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
}

export function Field({ label, name, value, onInput, type = 'textarea', dir = 'auto', ...rest }: FieldProps) {
  const common = {
    name,
    dir,
    value,
    ...rest,
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      onInput(e.currentTarget.value);
    },
  };
  return (
    <label class="field">
      <span>{label}</span>
      {type === 'textarea' ? <textarea {...common} /> : <input type={type} {...common} />}
    </label>
  );
}
