import { describe, expect, test } from 'vitest';
import { eventToJson, eventToXml, type PopupEvent, type SentEvent } from '../push.js';
import { decryptPush, encryptPush, pushMessageSignature, pushSignature } from './push-crypto.js';

// WeChat's published vectors: the URL check of spec §5.1, and WXBizMsgCrypt's sample (Java SDK test).
const SAMPLE_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('push signing and encryption (WXBizMsgCrypt)', () => {
  test('signature: the spec worked example', () => {
    expect(pushSignature('AAAAA', '1714036504', '1514711492')).toBe(
      'f464b24fc39322e44b38aa78f5edd27bd1441696',
    );
  });

  test('msg_signature sorts the four parts', () => {
    expect(pushMessageSignature('t', '2', '1', 'e')).toBe(pushMessageSignature('e', '1', '2', 't'));
    expect(pushMessageSignature('t', '2', '1', 'e')).not.toBe(pushSignature('t', '2', '1'));
  });

  test("encrypt matches WeChat's sample byte for byte, and decrypts back", () => {
    const encrypt = encryptPush(
      SAMPLE_KEY,
      'wxb11529c136998cb6',
      '我是中文abcd123',
      Buffer.from('aaaabbbbccccdddd'),
    );
    expect(encrypt).toBe(
      'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
    );
    expect(decryptPush(SAMPLE_KEY, encrypt)).toEqual({
      message: '我是中文abcd123',
      appid: 'wxb11529c136998cb6',
    });
  });

  test('a message of exactly a block multiple gets a whole block of padding', () => {
    // 16 random + 4 length + 8 message + 4 appid = 32 bytes: padding is 32 bytes of 32.
    const encrypt = encryptPush(SAMPLE_KEY, 'wxid', '12345678');
    expect(Buffer.from(encrypt, 'base64')).toHaveLength(64);
    expect(decryptPush(SAMPLE_KEY, encrypt).message).toBe('12345678');
  });

  test('garbage and a bad key are refused', () => {
    expect(() => decryptPush(SAMPLE_KEY, 'bm90IGNpcGhlcnRleHQ=')).toThrow();
    expect(() => encryptPush('short', 'wx', 'm')).toThrow(/EncodingAESKey/);
  });
});

const sent: SentEvent = {
  ToUserName: 'gh_123456789abc',
  FromUserName: 'otFpruAK8D-E6EfStSYonYSBZ8_4',
  CreateTime: 1610969468,
  MsgType: 'event',
  Event: 'subscribe_msg_sent_event',
  List: [{ TemplateId: 'VRR0', MsgID: '1700827132819554304', ErrorCode: '0', ErrorStatus: 'success' }],
};

describe('event shapes (spec §5.2–5.5)', () => {
  test('JSON: one item is an object, CreateTime an integer, item fields strings', () => {
    expect(eventToJson(sent)).toEqual({ ...sent, List: sent.List[0] });
    expect(JSON.stringify(eventToJson(sent))).toContain('"CreateTime":1610969468,');
    expect(JSON.stringify(eventToJson(sent))).toContain('"MsgID":"1700827132819554304"');
  });

  test('JSON: several items are an array', () => {
    const popup: PopupEvent = {
      ...sent,
      Event: 'subscribe_msg_popup_event',
      List: [
        { TemplateId: 'A', SubscribeStatusString: 'accept', PopupScene: '0' },
        { TemplateId: 'B', SubscribeStatusString: 'reject', PopupScene: '0' },
      ],
    };
    expect(eventToJson(popup).List).toEqual(popup.List);
  });

  test('XML: CDATA text, bare numbers, repeated <List> in the event wrapper', () => {
    expect(eventToXml(sent)).toBe(
      '<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName><FromUserName><![CDATA[otFpruAK8D-E6EfStSYonYSBZ8_4]]></FromUserName>' +
        '<CreateTime>1610969468</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_sent_event]]></Event>' +
        '<SubscribeMsgSentEvent><List><TemplateId><![CDATA[VRR0]]></TemplateId><MsgID>1700827132819554304</MsgID>' +
        '<ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus></List></SubscribeMsgSentEvent></xml>',
    );
  });

  test('XML: a "]]>" inside a value cannot end its CDATA', () => {
    const xml = eventToXml({ ...sent, FromUserName: 'a]]>b' });
    expect(xml).toContain('<FromUserName><![CDATA[a]]]]><![CDATA[>b]]></FromUserName>');
  });
});
