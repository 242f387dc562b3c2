// The editor's side of running a flow: what a typed payload must be, and the names of the
// read-only report documents.
import assert from "node:assert/strict";
import { test } from "node:test";
import { looksLikeAnswer, payloadProblem, reportName } from "../src/run";

test("a typed payload is a JSON object", () => {
  assert.equal(payloadProblem('{"topic": "tides"}'), undefined);
  assert.match(payloadProblem("[1]") ?? "", /JSON object/);
  assert.match(payloadProblem("null") ?? "", /JSON object/);
  assert.match(payloadProblem("{topic: 1}") ?? "", /^Not JSON/);
});

test("report documents are named after what ran", () => {
  assert.equal(reportName('the flow "Debate setup" (debate-setup)', 2), "the flow Debate setup (debate-setup) (2).md");
  assert.equal(reportName("a/b\\c", 1), "a b c (1).md");
  assert.equal(reportName("   ", 3), "flowql (3).md");
});

test("saved answers are told from other JSON", () => {
  assert.ok(looksLikeAnswer('{"errors": [{"message": "x"}]}'));
  assert.ok(looksLikeAnswer('{"data": {"checkStatus": {"status": "success"}}}'));
  assert.ok(!looksLikeAnswer('{"topic": "x", "errors": 3}'));
  assert.ok(!looksLikeAnswer('{"data": {"user": 1}}'));
  assert.ok(!looksLikeAnswer("[1, 2"));
});
