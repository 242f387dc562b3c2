import { Lamatic } from "lamatic";
import kit from "../../lamatic.config";

export function getLamaticClient() {
  return new Lamatic({
    endpoint: process.env.LAMATIC_API_URL!,
    projectId: process.env.LAMATIC_PROJECT_ID!,
    apiKey: process.env.LAMATIC_API_KEY!,
  });
}

/** The deployed flow id of a step, through the envKey lamatic.config.ts gives it. */
export function requireFlowId(stepId: string): string {
  const step = kit.steps.find((s) => s.id === stepId);
  const id = step ? process.env[step.envKey] : undefined;
  if (!id) throw new Error(`Set ${step?.envKey} (see .env.example)`);
  return id;
}
