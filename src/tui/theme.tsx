// Colour is a courtesy, never the only carrier of meaning: with NO_COLOR (https://no-color.org) every component
// falls back to plain text, shade characters and markers, so the app reads the same in monochrome.
import { createContext, useContext } from 'react';

export interface Theme {
  readonly color: boolean;
}

/** Colour is on unless NO_COLOR is present with any non-empty value (the spec's wording). */
export function themeFromEnv(env: NodeJS.ProcessEnv = process.env): Theme {
  const noColor = env.NO_COLOR;
  return { color: noColor === undefined || noColor === '' };
}

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** A colour prop when colour is on, nothing otherwise (so ink emits no SGR colour codes). */
export function tint(theme: Theme, color: string): string | undefined {
  return theme.color ? color : undefined;
}
