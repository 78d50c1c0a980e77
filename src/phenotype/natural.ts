// The parts of `natural` we use, imported by deep path: the package index also loads its storage back-ends, which
// call dotenv (reading ./.env into process.env and printing to stdout) and take a second to load.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface NaturalTokenizer {
  tokenize(text: string): string[];
}

interface TokenizerModule {
  readonly WordTokenizer: new () => NaturalTokenizer;
  readonly WordPunctTokenizer: new () => NaturalTokenizer;
  readonly AggressiveTokenizer: new () => NaturalTokenizer;
  readonly SentenceTokenizer: new (abbreviations?: string[]) => NaturalTokenizer;
}

interface SentimentAnalyzerClass {
  new (language: string, stemmer: unknown, type: string): { getSentiment(words: string[]): number };
}

let tokenizers: TokenizerModule | undefined;
let sentiment: SentimentAnalyzerClass | undefined;

export function naturalTokenizers(): TokenizerModule {
  tokenizers ??= require('natural/lib/natural/tokenizers/index.js') as TokenizerModule;
  return tokenizers;
}

export function naturalSentimentAnalyzer(): SentimentAnalyzerClass {
  sentiment ??= require('natural/lib/natural/sentiment/SentimentAnalyzer.js') as SentimentAnalyzerClass;
  return sentiment;
}

/** natural's English stop-word list. */
export function naturalStopWords(): readonly string[] {
  return (require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words;
}
