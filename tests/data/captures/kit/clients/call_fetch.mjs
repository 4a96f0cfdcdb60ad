// POST one message with Node's built-in fetch. Node 20's fetch ignores HTTPS_PROXY, so when it is set the
// script installs undici's EnvHttpProxyAgent as the global dispatcher (the documented way).
if (process.env.HTTPS_PROXY) {
  const { EnvHttpProxyAgent, setGlobalDispatcher } = await import('undici');
  setGlobalDispatcher(new EnvHttpProxyAgent());
}
const res = await fetch('https://api.anthropic.com/v1/messages', {
  method: 'POST',
  headers: {
    'x-api-key': process.env.ANTHROPIC_API_KEY,
    'anthropic-version': '2023-06-01',
    'content-type': 'application/json',
  },
  body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'say hi' }] }),
});
console.log(res.status, await res.text());
if (!res.ok) process.exit(1);
