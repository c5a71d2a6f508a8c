import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EC2_MODEL_PATH, loadEc2Model } from './fake/model.js';
import { ModelChecker, RequestProblem } from './fake/model-check.js';
import { FAKE_ACCESS_KEY_ID, type Ec2Fake } from './fake/ec2-fake.js';
import { writeXml } from './fake/xml.js';
import { FAKE_TYPES } from './fake/catalog.js';
import { useFake } from './helpers.js';

/** The checker the fake's answers pass through must itself catch what breaks the model. */
describe('the EC2 model checker', () => {
  const model = loadEc2Model();
  const checker = new ModelChecker(model);
  const ns = { xmlns: model.namespace };
  const regions = (item: Record<string, string>) =>
    writeXml('DescribeRegionsResponse', ns, { requestId: 'r', regionInfo: [item] });

  it('accepts an answer shaped as the model says', () => {
    const xml = regions({ regionName: 'us-east-1', regionEndpoint: 'x', optInStatus: 'opted-in' });
    assert.deepEqual(checker.checkAnswer('DescribeRegions', 200, xml), []);
  });

  it('finds a member name the model does not have', () => {
    const xml = regions({ RegionName: 'us-east-1' });
    assert.match(
      checker.checkAnswer('DescribeRegions', 200, xml).join(),
      /<RegionName> is not a member of Region/,
    );
  });

  it('finds list items under the wrong wrapper', () => {
    const xml = writeXml('DescribeRegionsResponse', ns, {
      requestId: 'r',
      regionInfo: { member: { regionName: 'us-east-1' } },
    });
    assert.match(
      checker.checkAnswer('DescribeRegions', 200, xml).join(),
      /list items must be <item>/,
    );
  });

  it('finds values of the wrong type and enum values the model does not list', () => {
    const state = (code: string, name: string) =>
      writeXml('StopInstancesResponse', ns, {
        requestId: 'r',
        instancesSet: [{ instanceId: 'i-1', currentState: { code, name } }],
      });
    assert.deepEqual(checker.checkAnswer('StopInstances', 200, state('64', 'stopping')), []);
    assert.match(
      checker.checkAnswer('StopInstances', 200, state('x', 'stopping')).join(),
      /not an integer/,
    );
    assert.match(
      checker.checkAnswer('StopInstances', 200, state('64', 'hibernating')).join(),
      /not one of pending/,
    );
  });

  it('finds a wrong root, namespace or missing requestId', () => {
    const problems = checker
      .checkAnswer(
        'DescribeRegions',
        200,
        writeXml('DescribeRegionResponse', { xmlns: 'urn:other' }, { regionInfo: [] }),
      )
      .join('\n');
    assert.match(problems, /not <DescribeRegionsResponse>/);
    assert.match(problems, /namespace/);
    assert.match(problems, /0 <requestId>/);
  });

  it("holds error answers to EC2's error document", () => {
    const good = writeXml(
      'Response',
      {},
      { Errors: { Error: { Code: 'AuthFailure', Message: 'm' } }, RequestID: 'r' },
    );
    assert.deepEqual(checker.checkAnswer('DescribeRegions', 401, good), []);
    const bad = writeXml('ErrorResponse', {}, { Error: { Code: 'AuthFailure' } });
    assert.match(
      checker.checkAnswer('DescribeRegions', 401, bad).join(),
      /an error answer must be/,
    );
  });

  it('holds operations without output to <return>', () => {
    assert.deepEqual(
      checker.checkAnswer(
        'RebootInstances',
        200,
        writeXml('RebootInstancesResponse', ns, { requestId: 'r', return: true }),
      ),
      [],
    );
    assert.match(
      checker
        .checkAnswer(
          'RebootInstances',
          200,
          writeXml('RebootInstancesResponse', ns, { requestId: 'r' }),
        )
        .join(),
      /<return>true/,
    );
  });

  it('decodes requests with EC2 query names and refuses what the model does not know', () => {
    const decoded = checker.decodeRequest(
      new URLSearchParams(
        'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&Filter.1.Name=tag-key&Filter.1.Value.1=a&Filter.1.Value.2=b&MaxResults=5',
      ),
    );
    assert.deepEqual(decoded.input, {
      InstanceIds: ['i-1'],
      Filters: [{ Name: 'tag-key', Values: ['a', 'b'] }],
      MaxResults: 5,
    });
    const refused = (query: string) => {
      try {
        checker.decodeRequest(new URLSearchParams(`Version=2016-11-15&${query}`));
        return undefined;
      } catch (err) {
        assert.ok(err instanceof RequestProblem);
        return err.code;
      }
    };
    assert.equal(refused('Action=DescribeInstances&InstanceIds.1=i-1'), 'UnknownParameter');
    assert.equal(refused('Action=DescribeInstances&Filter.1.Nme=x'), 'UnknownParameter');
    assert.equal(refused('Action=DescribeInstances&InstanceId.0=i-1'), 'UnknownParameter');
    assert.equal(refused('Action=RunInstances&MinCount=1'), 'MissingParameter');
    assert.equal(refused('Action=RunInstances&MinCount=one&MaxCount=1'), 'InvalidParameterValue');
    assert.equal(refused('Action=DescribeInstanceTypes&MaxResults=1000'), 'InvalidParameterValue');
    assert.equal(refused('Action=LaunchRocket'), 'InvalidAction');
  });

  it('says how to install the model when it is missing', () => {
    assert.throws(
      () => loadEc2Model('/nonexistent/service-2.json'),
      /apt-get install python3-botocore/,
    );
    assert.ok(EC2_MODEL_PATH.endsWith('ec2/2016-11-15/service-2.json'));
  });

  it("uses only instance types the model's enum knows, so answers can be held to it", () => {
    const known = model.shape('InstanceType').enum ?? [];
    assert.deepEqual(
      FAKE_TYPES.map((t) => t.name).filter((n) => !known.includes(n)),
      [],
    );
  });
});

describe('the EC2 fake over HTTP', () => {
  let fake: Ec2Fake;
  useFake({ before, after }, (f) => (fake = f));

  const post = (body: string, key = FAKE_ACCESS_KEY_ID) =>
    fetch(fake.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=${key}/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body,
    });

  it('refuses a parameter the model does not know, as EC2 does, and records it', async () => {
    const response = await post('Action=DescribeInstances&Version=2016-11-15&InstanceIds.1=i-1');
    assert.equal(response.status, 400);
    assert.match(await response.text(), /<Code>UnknownParameter<\/Code>/);
    assert.deepEqual(
      fake.refused.splice(0).map((r) => r.code),
      ['UnknownParameter'],
    );
  });

  it('refuses a key it does not know with AuthFailure', async () => {
    const response = await post(
      'Action=DescribeRegions&Version=2016-11-15',
      'AKIAOTHEROTHEROTHER1',
    );
    assert.equal(response.status, 401);
    assert.match(await response.text(), /<Code>AuthFailure<\/Code>/);
  });

  it('answers in the EC2 namespace', async () => {
    const response = await post('Action=DescribeRegions&Version=2016-11-15&AllRegions=true');
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(
      text,
      /^<\?xml[^>]*>\s*<DescribeRegionsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">/,
    );
    assert.match(text, /<optInStatus>not-opted-in<\/optInStatus>/);
  });
});
