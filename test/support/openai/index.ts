export {
  type ChatRequest,
  type OpenAIStandIn,
  type OpenAIStandInOptions,
  type RecordedRequest,
  type Step,
  startOpenAIStandIn,
} from './stand-in.ts';
export { checkStrictSchema, STRICT_LIMITS } from './strict-schema.ts';
