/** Pretrained language models the engine runs frozen (TimeLLM's backbone), read from local directories only. */
export * from './safetensors.js';
export * from './gpt2-checkpoint.js';
export * from './gpt2.js';
export * from './bpe-tokenizer.js';
export * from './local-llm.js';
