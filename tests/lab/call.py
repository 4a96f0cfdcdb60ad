import sys

import anthropic

client = anthropic.Anthropic()
message = client.messages.create(
    model=sys.argv[1] if len(sys.argv) > 1 else "claude-sonnet-4-5",
    max_tokens=64,
    messages=[{"role": "user", "content": "say hi"}],
)
print(message.content[0].text)
