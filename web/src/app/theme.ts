import {
  createTheme,
  darken,
  defaultVariantColorsResolver,
  mergeThemeOverrides,
  parseThemeColor,
  type VariantColorsResolver,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from '@mantine/core';

const brand: MantineColorsTuple = [
  '#eef3ff',
  '#dce4f5',
  '#b6c6e9',
  '#8da6dd',
  '#6b8bd3',
  '#5479cd',
  '#4870cb',
  '#3a5fb4',
  '#3155a1',
  '#23498f',
];

/**
 * Light, subtle and outline variants use a darker shade for their text than Mantine's default, so badges,
 * subtle buttons and links meet WCAG AA contrast (axe runs on every main page in the browser tests).
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || !['light', 'subtle', 'outline'].includes(input.variant)) return base;
  const palette = input.theme.colors[parsed.color];
  const text =
    parsed.color === 'gray' || parsed.color === 'brand' || !palette
      ? `var(--mantine-color-${parsed.color}-9)`
      : darken(palette[9], 0.35);
  return { ...base, color: text, ...(input.variant === 'outline' ? { border: `1px solid ${text}` } : {}) };
};

export const theme = createTheme({
  variantColorResolver,
  primaryColor: 'brand',
  primaryShade: { light: 7, dark: 8 },
  colors: { brand },
  fontFamily: 'Vazirmatn, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontFamily: 'Vazirmatn, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', fontWeight: '700' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
});

/** The theme with texts that depend on the UI language (close buttons' accessible names). */
export function localizedTheme(closeLabel: string) {
  return mergeThemeOverrides(
    theme,
    createTheme({
      components: {
        Modal: { defaultProps: { centered: true, closeButtonProps: { 'aria-label': closeLabel } } },
        Drawer: { defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } },
      },
    }),
  );
}

/** Secondary text dark enough for WCAG AA contrast on white and on the light page background. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-brand-8)',
  },
  dark: {},
});
