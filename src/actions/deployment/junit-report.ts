import { XMLParser } from 'fast-xml-parser';
import { NonRetryableError } from '../../model/errors.js';

export interface FailedTest {
  readonly name: string;
  readonly classname: string;
  readonly message: string;
}

export interface JUnitSummary {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  failed_tests: FailedTest[];
}

export const MAX_FAILED_TESTS = 50;
const MAX_MESSAGE_CHARS = 1000;

type XmlNode = Record<string, unknown>;

// Entity expansion stays on (reports escape `<` in stack traces) within the parser's default limits
// (1000 expansions, 100 kB expanded), which defuse "billion laughs" documents.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

export function emptySummary(): JUnitSummary {
  return { tests: 0, failures: 0, errors: 0, skipped: 0, failed_tests: [] };
}

function nodes(value: unknown): XmlNode[] {
  return Array.isArray(value) ? value.filter((v): v is XmlNode => typeof v === 'object' && v !== null) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The message of a `<failure>`/`<error>`: its attribute, else the first line of its body. */
function messageOf(problem: XmlNode | undefined): string {
  if (!problem) return '';
  const message = text(problem['@message']) || (text(problem['#text']).trim().split('\n')[0] ?? '');
  return message.slice(0, MAX_MESSAGE_CHARS);
}

/** Counts testcases in nested `<testsuites>`/`<testsuite>`s, from the cases themselves (suite totals are often missing). */
function collect(suite: XmlNode, into: JUnitSummary): void {
  for (const tc of nodes(suite['testcase'])) {
    into.tests++;
    const failure = nodes(tc['failure'])[0];
    const error = nodes(tc['error'])[0];
    if (failure) into.failures++;
    else if (error) into.errors++;
    else if (tc['skipped'] !== undefined) into.skipped++;
    if ((failure || error) && into.failed_tests.length < MAX_FAILED_TESTS) {
      into.failed_tests.push({ name: text(tc['@name']), classname: text(tc['@classname']), message: messageOf(failure ?? error) });
    }
  }
  for (const child of nodes(suite['testsuite'])) collect(child, into);
}

/** Adds one JUnit XML document to `into`. */
export function addJUnitReport(xml: string, file: string, into: JUnitSummary): void {
  let doc: XmlNode;
  try {
    doc = parser.parse(xml, true) as XmlNode;
  } catch (cause) {
    throw new NonRetryableError('invalid_junit', `${file} is not valid XML: ${(cause as Error).message}`, { cause });
  }
  const root = (doc['testsuites'] ?? doc) as unknown;
  if (typeof root !== 'object' || root === null) return;
  collect(root as XmlNode, into);
}
