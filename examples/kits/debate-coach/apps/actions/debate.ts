"use server";

import { getLamaticClient, requireFlowId } from "../lib/lamatic";

type Turn = { round: number; statement: string };

// The mistakes below are the ones flowql is here to catch before a request is sent.

export async function setUp(topic: string) {
  const client = getLamaticClient();
  // `rounds` is an int in the flow's schema: "3" is a string.
  return client.executeFlow(requireFlowId("debate-setup"), { topic, rounds: "3" });
}

export async function nextRound(topic: string, transcript: Turn[]) {
  const lamatic = getLamaticClient();
  const flowId = process.env.DEBATE_ROUND_FLOW_ID!;
  // `side` must be "A" or "B", and `transcript` is misspelt.
  const payload = { topic, side: "C", transcrpt: transcript };
  return lamatic.executeFlow(flowId, payload);
}

export async function judge(topic: string) {
  // The judge flow declares no schema, but its prompt reads `transcript`.
  return getLamaticClient().executeFlow(process.env.DEBATE_JUDGE_FLOW_ID || "", { topic });
}

export async function replay(flowId: string, input: Record<string, unknown>) {
  // Which flow this runs is only known at run time: flowql says so and judges nothing.
  return getLamaticClient().executeFlow(flowId, input);
}

export async function rematch(topic: string) {
  // A typo in the variable's name: no step names it, so it holds no flow id at run time.
  return getLamaticClient().executeFlow(process.env.DEBATE_SETUP_FLOWID!, { topic, rounds: 1 });
}
