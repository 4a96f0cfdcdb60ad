# POST one message with requests (honours HTTPS_PROXY); errors propagate as a user's script lets them.
import os

import requests

r = requests.post(
    "https://api.anthropic.com/v1/messages",
    headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01"},
    json={"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "say hi"}]},
)
print(r.status_code, r.text)
r.raise_for_status()
