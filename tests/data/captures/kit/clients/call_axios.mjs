// POST one message with axios (reads HTTPS_PROXY itself); a non-2xx status throws.
import axios from 'axios';

const res = await axios.post(
  'https://api.anthropic.com/v1/messages',
  { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'say hi' }] },
  { headers: { 'x-api-key': process.env.ANTHROPIC_API_KEY, 'anthropic-version': '2023-06-01' } },
);
console.log(res.status, JSON.stringify(res.data));
