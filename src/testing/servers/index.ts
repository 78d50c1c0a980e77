// Local servers that speak vendor wire protocols, for tests, benchmarks and offline demos (127.0.0.1, port 0).
//
//   const server = await startOpenAIServer({
//     responder: (r) => `echo ${r.prompt}`,
//     faults: [{ kind: '429', retryAfter: '1' }],
//   });
//   new OpenAI({ baseURL: server.url, apiKey: 'x' }) ...   // request 0 gets the 429, request 1 the echo
//   server.requests.length; server.maxInFlight; await server.close();
export { startOpenAIServer } from './openai.js';
export { startAnthropicServer } from './anthropic.js';
export { startOllamaServer } from './ollama.js';
export {
  echoResponder,
  tokenize,
  type Fault,
  type FaultPlan,
  type ModelRequest,
  type RecordedRequest,
  type Responder,
  type ServerOptions,
  type TestServer,
} from './common.js';
