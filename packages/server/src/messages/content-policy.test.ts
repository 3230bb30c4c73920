import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ContentPolicy, loadContentPolicy, parseWordList } from './content-policy.js';

const dataDir = mkdtempSync(join(tmpdir(), 'beckon-policy-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const shipped = loadContentPolicy('/nonexistent');
const kindOf = (value: string, policy = shipped) => policy.violation(value)?.kind;

describe('content policy', () => {
  test.each([
    ['https://example.com/x'],
    ['http://a.b'],
    ['详情见 HTTPS://EXAMPLE.ORG'],
    ['ftp://files.example.net'],
    ['www.example'],
    ['访问www.abc.cn了解'],
    ['example.com'],
    ['快来 t.cn/A6xyz 领取'],
    ['bit.ly/3abc'],
    ['shop.example.co.uk'],
    ['联系 kefu@service.top'],
    ['ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ'],
    ['EXAMPLE.COM'],
    ['访问EXAMPLE.COM了解'],
    ['百度.中国'],
  ])('a link: %s', (value) => {
    expect(kindOf(value)).toBe('link');
  });

  test.each([
    ['weixin://dl/business/?t=abc'],
    ['wxp://f2f0abcdef'],
    ['扫码 u.wechat.com/EFabc'],
    ['alipays://platformapi/startapp?appId=1'],
    ['https://qr.alipay.com/fkx123'],
    ['#小程序://某商城/abc123'],
    ['#小程序：//某商城/abc123'],
    ['wxaurl.cn/abcdef'],
  ])('a QR-code or deep-link payload: %s', (value) => {
    expect(kindOf(value)).toBe('qr');
  });

  test.each([
    ['15:01'],
    ['2019年10月1日 15:01'],
    ['2019-10-01 08:00~2019-10-02 18:00'],
    ['¥99.00'],
    ['¥123.45元'],
    ['2.1.0'],
    ['v2.1.0-beta'],
    ['95.5'],
    ['Mr.Li'],
    ['No.1'],
    ['report.pdf'],
    ['第2剂/共3剂'],
    ['2站/约800米'],
    ['+86-0766-66888866'],
    ['DD2019100100123'],
    ['****8888'],
    ['如有疑问请联系客服'],
    ['无线蓝牙耳机'],
    ['加多宝'],
    ['宝宝疫苗'],
    ['Occasionally'],
    ['Essex'],
    ['反洗钱宣传'],
    ['微信支付'],
  ])('allowed: %s', (value) => {
    expect(shipped.violation(value)).toBeUndefined();
  });

  test.each([
    ['网上赌博'],
    ['赌 博'],
    ['兼职刷单日结'],
    ['恭喜您中奖了'],
    ['Best CASINO bonus'],
    ['free porn'],
    ['ESCORT   service'],
    ['法轮功'],
    ['代开发票'],
    // Values of printable ASCII and CJK ideographs only skip NFKC (it leaves them as they are): still found.
    ['CASINO'],
    ['网上赌博DD2019'],
  ])('a shipped sensitive word: %s', (value) => {
    expect(kindOf(value)).toBe('word');
  });

  test('ASCII words match whole words only; other words match anywhere', () => {
    const policy = new ContentPolicy(['spam', '广告']);
    expect(kindOf('SPAM here', policy)).toBe('word');
    expect(kindOf('spam!', policy)).toBe('word');
    expect(kindOf('spammer', policy)).toBeUndefined();
    expect(kindOf('这是广告位', policy)).toBe('word');
    expect(kindOf('广\u200b告', policy)).toBe('word');
  });

  test('word lists: one per line, # comment lines and blank lines skipped', () => {
    expect(parseWordList('# list\n\nfoo\r\n  bar baz  \n#qux\n')).toEqual(['foo', 'bar baz']);
  });

  test("the operator's file in the data dir adds to the shipped list", () => {
    writeFileSync(join(dataDir, 'sensitive-words.txt'), '# ours\n团购秒杀\nFlashDeal\n');
    const policy = loadContentPolicy(dataDir);
    expect(kindOf('今日团购秒杀', policy)).toBe('word');
    expect(kindOf('flashdeal now', policy)).toBe('word');
    expect(kindOf('网上赌博', policy)).toBe('word');
    expect(kindOf('今日团购秒杀')).toBeUndefined();
  });
});
