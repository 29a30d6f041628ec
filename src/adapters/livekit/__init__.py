"""The LiveKit runtime: an agent's toolset as LiveKit tools, and a text-mode session driver.

``runtime`` turns an ``AgentToolset`` into raw-schema LiveKit tools around the call
pipeline; ``scripted_llm`` is an offline LLM that plays a script; ``text_session`` runs
a real ``AgentSession`` in text mode with them (the ``call`` and ``demo`` commands).
"""
