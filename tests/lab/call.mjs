// The TS SDK client of the lab: one messages.create, error left uncaught (as a user's script would).
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();
const message = await client.messages.create({
  model: process.argv[2] || 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'say hi' }],
});
console.log(message.content[0].text);
