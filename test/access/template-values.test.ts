import { canonicalValue } from '../../src/access/template-values';

describe('canonicalValue', () => {
  test.each([
    ['a literal', 'arn:aws:iam::111111111111:root', 'arn:aws:iam::111111111111:root'],
    ['a number', 111111111111, '111111111111'],
    ['a Ref', { Ref: 'AdminRole' }, '${AdminRole}'],
    ['the partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['a pseudo parameter', { Ref: 'AWS::AccountId' }, '${AWS::AccountId}'],
    ['a GetAtt', { 'Fn::GetAtt': ['AdminRole', 'Arn'] }, '${AdminRole.Arn}'],
    ['a string GetAtt', { 'Fn::GetAtt': 'AdminRole.Arn' }, '${AdminRole.Arn}'],
    ['an account root Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] }, 'arn:aws:iam::${AWS::AccountId}:root'],
    ['a Sub', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}' }, 'arn:aws:iam::${AWS::AccountId}:role/${Name}'],
    ['a Sub with variables', { 'Fn::Sub': ['arn:aws:iam::${Account}:root', { Account: '222222222222' }] }, 'arn:aws:iam::222222222222:root'],
  ])('reads %s', (_name, value, expected) => {
    expect(canonicalValue(value)).toBe(expected);
  });

  test.each([
    ['Fn::If', { 'Fn::If': ['IsProd', 'a', 'b'] }],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'SharedRoleArn' }],
    ['Fn::Select', { 'Fn::Select': [0, { Ref: 'List' }] }],
    ['a Join of an unknown part', { 'Fn::Join': ['', ['arn:', { 'Fn::ImportValue': 'X' }]] }],
    ['a Sub variable that is unknown', { 'Fn::Sub': ['${A}', { A: { 'Fn::If': ['C', 'x', 'y'] } }] }],
    ['an array', ['a']],
    ['null', null],
    ['undefined', undefined],
  ])('gives undefined for %s', (_name, value) => {
    expect(canonicalValue(value)).toBeUndefined();
  });
});
