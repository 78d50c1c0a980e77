// The evidence tab: one probe's prompt and the models' answers side by side, one column per model.
import { Box, Text } from 'ink';
import type { EvidenceProbe, EvidenceResponse } from '../backend.js';
import { fit, wrapText } from '../../core/format.js';
import { oneLine } from '../../core/sanitize.js';
import { useTheme, tint } from '../theme.js';
import { numberLines } from './numbered-lines.js';

export interface EvidencePaneProps {
  readonly probe: EvidenceProbe;
  readonly probeAt: number;
  readonly probes: number;
  /** Every model's answers; `modelPage` is the first shown, `perPage` how many. */
  readonly responses: readonly EvidenceResponse[];
  readonly modelPage: number;
  readonly perPage: number;
  readonly sampleAt: number;
  readonly width: number;
  readonly height: number;
}

const PROMPT_LINES = 3;

export function EvidencePane(props: EvidencePaneProps) {
  const theme = useTheme();
  const { probe, responses, modelPage, sampleAt, width } = props;
  const shown = responses.slice(modelPage, modelPage + props.perPage);
  const colWidth = Math.floor((width - (shown.length - 1) * 2) / Math.max(1, shown.length));
  const textHeight = Math.max(3, props.height - 6);
  const prompt = numberLines(wrapText(probe.prompt, width - 2).slice(0, PROMPT_LINES));
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{`probe ${props.probeAt + 1}/${props.probes}: ${oneLine(probe.id)}`}</Text>
        <Text dimColor={theme.color}>{probe.tags.length ? `  [${probe.tags.map(oneLine).join(', ')}]` : ''}</Text>
      </Text>
      {prompt.map((l) => (
        <Text key={l.number} dimColor={theme.color}>{`> ${l.text}`}</Text>
      ))}
      <Box marginTop={1} columnGap={2}>
        {shown.map((r) => {
          const n = r.texts.length;
          const text = n > 0 ? r.texts[sampleAt % n]! : `(no answer: ${r.errors} errors)`;
          // Blank lines around an answer carry no evidence worth a column's height (the traits count them).
          const lines = wrapText(text.replace(/^\s*\n/, '').trimEnd(), colWidth);
          return (
            <Box key={r.model} flexDirection="column" width={colWidth}>
              <Text bold color={tint(theme, 'cyan')}>
                {fit(`${r.model}${n > 1 ? ` (${(sampleAt % n) + 1}/${n})` : ''}`, colWidth)}
              </Text>
              {numberLines(lines.slice(0, textHeight)).map((l) => (
                <Text key={l.number}>{l.text || ' '}</Text>
              ))}
              {lines.length > textHeight ? (
                <Text dimColor={theme.color}>{`… ${lines.length - textHeight} more lines`}</Text>
              ) : null}
            </Box>
          );
        })}
      </Box>
      <Text dimColor={theme.color}>{`models ${modelPage + 1}-${modelPage + shown.length} of ${responses.length}`}</Text>
    </Box>
  );
}
