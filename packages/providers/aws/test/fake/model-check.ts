import type { Ec2Model, MemberRef, Shape } from './model.js';
import { parseXml, type XmlElement } from './xml.js';

/**
 * Holds the fake to EC2's service model, in both directions.
 *
 * Answers: every XML document the fake sends is parsed and walked against the operation's output
 * shape: the root element and namespace, each element a member of its structure under the
 * member's XML name (locationName), list items under the list's item name, scalar text of the
 * member's type (integer, boolean, timestamp, enum value...). Errors must have EC2's error shape.
 * Operations without an output shape answer `<return>true</return>`, as EC2 does.
 *
 * Requests: the form-encoded query is decoded against the operation's input shape, with the EC2
 * protocol's names (queryName, else the capitalised locationName, else the member name) and
 * `Name.N` lists; a parameter the model does not know, a missing required one or a value of the
 * wrong type is refused, as EC2 refuses it.
 */

/** A refusal as EC2 would answer it. */
export class RequestProblem extends Error {
  constructor(
    readonly code:
      'InvalidAction' | 'UnknownParameter' | 'MissingParameter' | 'InvalidParameterValue',
    message: string,
  ) {
    super(message);
  }
}

export type Decoded = unknown;

export interface DecodedRequest {
  readonly action: string;
  /** The input with the model's member names (`Filters`, `InstanceIds`...). */
  readonly input: Record<string, Decoded>;
}

export class ModelChecker {
  constructor(readonly model: Ec2Model) {}

  // ---- requests ---------------------------------------------------------------------------

  decodeRequest(form: URLSearchParams): DecodedRequest {
    const action = form.get('Action') ?? '';
    const operation = this.model.operations[action];
    if (!operation)
      throw new RequestProblem(
        'InvalidAction',
        `The action ${action} is not valid for this web service.`,
      );
    if (form.get('Version') !== this.model.apiVersion) {
      throw new RequestProblem(
        'InvalidParameterValue',
        `Version ${form.get('Version') ?? ''} is not ${this.model.apiVersion}`,
      );
    }
    const entries: Entry[] = [];
    for (const [key, value] of form) {
      if (key === 'Action' || key === 'Version') continue;
      entries.push({ key, path: key.split('.'), value });
    }
    const input = operation.input
      ? this.decodeStructure(operation.input.shape, entries, '')
      : this.refuseAll(entries);
    return { action, input };
  }

  private refuseAll(entries: readonly Entry[]): Record<string, Decoded> {
    const first = entries[0];
    if (first) throw unknown(first.key);
    return {};
  }

  private decodeStructure(
    shapeName: string,
    entries: readonly Entry[],
    prefix: string,
  ): Record<string, Decoded> {
    const shape = this.model.shape(shapeName);
    const byQueryName = new Map<string, [string, MemberRef]>();
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      byQueryName.set(queryNameOf(name, ref), [name, ref]);
    }
    const groups = new Map<string, Entry[]>();
    for (const entry of entries) {
      const [head, ...rest] = entry.path;
      if (head === undefined || !byQueryName.has(head)) throw unknown(entry.key);
      groups.set(head, [...(groups.get(head) ?? []), { ...entry, path: rest }]);
    }
    const out: Record<string, Decoded> = {};
    for (const [queryName, group] of groups) {
      const [name, ref] = byQueryName.get(queryName) as [string, MemberRef];
      out[name] = this.decodeValue(ref.shape, group, `${prefix}${queryName}`);
    }
    for (const required of shape.required ?? []) {
      if (!(required in out)) {
        const ref = shape.members?.[required];
        const shown = ref ? queryNameOf(required, ref) : required;
        throw new RequestProblem(
          'MissingParameter',
          `The request must contain the parameter ${prefix}${shown}`,
        );
      }
    }
    return out;
  }

  private decodeValue(shapeName: string, entries: readonly Entry[], key: string): Decoded {
    const shape = this.model.shape(shapeName);
    if (shape.type === 'structure') return this.decodeStructure(shapeName, entries, `${key}.`);
    if (shape.type === 'list') {
      const memberShape = shape.member?.shape;
      if (memberShape === undefined) throw new Error(`list ${shapeName} has no member`);
      const byIndex = new Map<number, Entry[]>();
      for (const entry of entries) {
        const [index, ...rest] = entry.path;
        if (index === undefined || !/^[1-9]\d*$/.test(index)) throw unknown(entry.key);
        byIndex.set(Number(index), [
          ...(byIndex.get(Number(index)) ?? []),
          { ...entry, path: rest },
        ]);
      }
      return [...byIndex.keys()]
        .sort((a, b) => a - b)
        .map((i) => this.decodeValue(memberShape, byIndex.get(i) ?? [], `${key}.${i}`));
    }
    if (shape.type === 'map') throw unknown(key);
    const [only, ...more] = entries;
    if (!only || more.length > 0 || only.path.length > 0)
      throw unknown((more[0] ?? only)?.key ?? key);
    return scalar(shape, only.value, key);
  }

  // ---- answers ----------------------------------------------------------------------------

  /** Problems of one answer (empty when it is one EC2 could send). */
  checkAnswer(action: string, status: number, xml: string): string[] {
    let root: XmlElement;
    try {
      root = parseXml(xml);
    } catch (err) {
      return [`${action}: not XML (${err instanceof Error ? err.message : String(err)})`];
    }
    const problems: string[] = [];
    if (status >= 300) {
      checkErrorDocument(root, problems);
      return problems;
    }
    if (root.name !== `${action}Response`)
      problems.push(`root is <${root.name}>, not <${action}Response>`);
    if (root.attributes.xmlns !== this.model.namespace) {
      problems.push(`namespace is "${root.attributes.xmlns ?? ''}", not "${this.model.namespace}"`);
    }
    const outputShape = this.model.operations[action]?.output?.shape;
    const requestIds = root.children.filter((c) => c.name === 'requestId');
    if (requestIds.length !== 1)
      problems.push(`${action}: ${requestIds.length} <requestId> elements`);
    const body = { ...root, children: root.children.filter((c) => c.name !== 'requestId') };
    if (outputShape === undefined) {
      const [only, ...more] = body.children;
      if (only?.name !== 'return' || more.length > 0 || !['true', 'false'].includes(only.text)) {
        problems.push(`${action} has no output shape: the answer must be <return>true</return>`);
      }
      return problems;
    }
    this.checkStructure(outputShape, body, action, problems);
    return problems;
  }

  private checkElement(
    ref: MemberRef,
    element: XmlElement,
    path: string,
    problems: string[],
  ): void {
    const shape = this.model.shape(ref.shape);
    if (shape.type === 'structure') {
      this.checkStructure(ref.shape, element, path, problems);
      return;
    }
    if (shape.type === 'list') {
      const member = shape.member;
      if (!member) return;
      const itemName = member.locationName ?? 'member';
      if (element.text.trim() !== '') problems.push(`${path}: a list with text`);
      element.children.forEach((child, i) => {
        if (child.name !== itemName) {
          problems.push(`${path}: list items must be <${itemName}>, found <${child.name}>`);
          return;
        }
        this.checkElement(member, child, `${path}[${i}]`, problems);
      });
      return;
    }
    if (shape.type === 'map') {
      problems.push(`${path}: maps are not expected in EC2 answers`);
      return;
    }
    if (element.children.length > 0) {
      problems.push(`${path}: ${shape.type} ${ref.shape} has child elements`);
      return;
    }
    const why = scalarProblem(shape, element.text);
    if (why) problems.push(`${path}: ${why}`);
  }

  private checkStructure(
    shapeName: string,
    element: XmlElement,
    path: string,
    problems: string[],
  ): void {
    const shape = this.model.shape(shapeName);
    const byXmlName = new Map<string, MemberRef>();
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      byXmlName.set(ref.locationName ?? name, ref);
    }
    if (element.text.trim() !== '') problems.push(`${path}: structure ${shapeName} has text`);
    const seen = new Set<string>();
    for (const child of element.children) {
      const ref = byXmlName.get(child.name);
      if (!ref) {
        problems.push(
          `${path}: <${child.name}> is not a member of ${shapeName} (members: ${[...byXmlName.keys()].join(', ')})`,
        );
        continue;
      }
      if (seen.has(child.name)) problems.push(`${path}: <${child.name}> appears twice`);
      seen.add(child.name);
      this.checkElement(ref, child, `${path}.${child.name}`, problems);
    }
  }
}

interface Entry {
  readonly key: string;
  readonly path: readonly string[];
  readonly value: string;
}

function queryNameOf(memberName: string, ref: MemberRef): string {
  if (ref.queryName !== undefined) return ref.queryName;
  if (ref.locationName !== undefined)
    return `${ref.locationName.charAt(0).toUpperCase()}${ref.locationName.slice(1)}`;
  return memberName;
}

function unknown(key: string): RequestProblem {
  return new RequestProblem('UnknownParameter', `The parameter ${key} is not recognized`);
}

function scalar(shape: Shape, value: string, key: string): Decoded {
  const why = scalarProblem(shape, value, { enumChecked: false });
  if (why)
    throw new RequestProblem(
      'InvalidParameterValue',
      `Value (${value}) for parameter ${key} is invalid. ${why}`,
    );
  switch (shape.type) {
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return Number(value);
    case 'boolean':
      return value === 'true';
    case 'blob':
      return Buffer.from(value, 'base64').toString('utf8');
    default:
      return value;
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Why `text` is not a value of `shape`, or undefined. Enum values are checked in answers only:
 * EC2 accepts request values newer than any model (instance types, above all).
 */
function scalarProblem(
  shape: Shape,
  text: string,
  options = { enumChecked: true },
): string | undefined {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text)) return `"${text}" is not an integer`;
      const n = Number(text);
      if (shape.min !== undefined && n < shape.min) return `${n} is below ${shape.min}`;
      if (shape.max !== undefined && n > shape.max) return `${n} is above ${shape.max}`;
      return undefined;
    }
    case 'double':
    case 'float':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? undefined : `"${text}" is not a number`;
    case 'boolean':
      return text === 'true' || text === 'false' ? undefined : `"${text}" is not true or false`;
    case 'timestamp':
      return ISO_8601.test(text) && !Number.isNaN(Date.parse(text))
        ? undefined
        : `"${text}" is not an ISO 8601 time`;
    case 'blob':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? undefined : 'not base64';
    case 'string':
      if (options.enumChecked && shape.enum && !shape.enum.includes(text)) {
        return `"${text}" is not one of ${shape.enum.slice(0, 12).join(', ')}${shape.enum.length > 12 ? ', ...' : ''}`;
      }
      return undefined;
    default:
      return `unexpected ${shape.type}`;
  }
}

function checkErrorDocument(root: XmlElement, problems: string[]): void {
  const names = (e: XmlElement) => e.children.map((c) => c.name).join(',');
  if (root.name !== 'Response' || names(root) !== 'Errors,RequestID') {
    problems.push(
      `an error answer must be <Response><Errors/><RequestID/></Response>, found <${root.name}> with ${names(root)}`,
    );
    return;
  }
  const errors = root.children[0]?.children ?? [];
  if (errors.length === 0 || errors.some((e) => e.name !== 'Error'))
    problems.push('<Errors> must hold <Error> elements');
  for (const error of errors) {
    if (names(error) !== 'Code,Message')
      problems.push(`<Error> must hold <Code> and <Message>, found ${names(error)}`);
    if (error.children[0]?.text.trim() === '') problems.push('<Code> is empty');
  }
}
