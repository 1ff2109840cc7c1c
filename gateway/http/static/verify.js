// The /verify page: sends the chosen PDF or OFD to POST /verify (same origin, nothing kept) and
// renders the JSON answer. Every value goes in through textContent, never as HTML.
'use strict';

const VERDICT = {
  VALID: ['有效：所有签名完好可信，签名后没有不允许的改动', 'Valid: every signature is intact and trusted, with no disallowed change after signing'],
  INVALID: ['无效：签名不成立，或文件在签名后被改动', 'Invalid: a signature fails, or the file was changed after signing'],
  INDETERMINATE: ['无法确定：签名完好，但无法确认签名人可信或证书状态', 'Indeterminate: signatures are intact, but the signer’s trust or certificate status cannot be established'],
  UNSIGNED: ['未签名：文件中没有电子签名或签章', 'Unsigned: the file holds no signature or seal'],
  UNREADABLE: ['无法读取：文件已损坏，或不是可以读取的 PDF 或 OFD', 'Unreadable: the file is damaged or not a PDF or OFD that can be read'],
};
const INDICATION = { TOTAL_PASSED: ['通过', 'passed'], TOTAL_FAILED: ['失败', 'failed'], INDETERMINATE: ['不确定', 'indeterminate'] };
const SUB_INDICATION = {
  HASH_FAILURE: '签名后内容被改动（摘要不符）',
  SIG_CRYPTO_FAILURE: '签名值验证失败',
  FORMAT_FAILURE: '签名格式错误',
  REVOKED: '签名证书已被吊销',
  EXPIRED: '签名证书已过期',
  NOT_YET_VALID: '签名证书尚未生效',
  NO_CERTIFICATE_CHAIN_FOUND: '找不到通向本平台根证书的证书链（非本平台签发）',
  NO_SIGNING_CERTIFICATE_FOUND: '找不到签名证书',
  SIG_CONSTRAINTS_FAILURE: '签名不符合约束（如签名证书不是印章所绑定的证书）',
  TRY_LATER: '暂时无法确认证书吊销状态',
  REVOKED_NO_POE: '证书已吊销，且无签名时间证明',
  OUT_OF_BOUNDS_NO_POE: '证书已过期，且无签名时间证明',
};
const MODIFICATION = {
  NONE: ['签名后没有改动', 'nothing changed after signing'],
  LTA_UPDATES: ['签名后仅追加了验证数据或时间戳（允许）', 'only validation data or time-stamps added after signing (allowed)'],
  FORM_FILLING: ['签名后填写了表单或加盖了其他签章', 'form filling or further signatures after signing'],
  ANNOTATIONS: ['签名后添加了批注', 'annotations added after signing'],
  OTHER: ['签名后内容被修改', 'content changed after signing'],
};
const LICENCE_STATUS = { valid: ['有效', 'valid'], revoked: ['已注销', 'revoked'], superseded: ['已变更（有新版本）', 'superseded'], suspended: ['已暂扣', 'suspended'], expired: ['已过期', 'expired'] };
const RENEWAL = { pending: ['延续申请审查中', 'renewal pending'], granted: ['准予延续', 'renewal granted'], refused: ['不予延续', 'renewal refused'], deemed: ['视为准予延续', 'renewal deemed granted'] };
const SEAL_STATE = { active: ['正常', 'active'], suspended: ['已暂停使用', 'suspended'], revoked: ['已注销', 'revoked'] };
const ERROR = {
  INVALID_NOT_PDF: ['这不是 PDF 或 OFD 文件，请选择 PDF 或 OFD 格式的电子证照或文件。', 'This is neither a PDF nor an OFD file.'],
  PAYLOAD_TOO_LARGE: ['文件过大，超过了本页可以验证的大小。', 'The file is too large to verify here.'],
  INVALID_INPUT_TOO_LARGE: ['文件过大，超过了本页可以验证的大小。', 'The file is too large to verify here.'],
  UNSUPPORTED_MEDIA_TYPE: ['请上传 PDF 或 OFD 文件。', 'Please upload a PDF or OFD file.'],
};

const $ = (id) => document.getElementById(id);
const el = (tag, attrs, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};
const bilingual = (zh, en) => [zh, ' ', el('span', { class: 'en' }, en)];
const row = (label, ...value) => el('tr', {}, el('th', {}, label), el('td', {}, ...value));
const time = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) + '（北京时间）' : '—');

function showError(code, message) {
  const [zh, en] = ERROR[code] || ['无法验证这个文件。', message || 'The file could not be verified.'];
  $('result').replaceChildren(el('p', { class: 'verdict error', id: 'verdict', 'data-error': code || 'ERROR' }, ...bilingual(zh, en)));
}

function licenceCard(l) {
  const [zh, en] = LICENCE_STATUS[l.status] || [l.status, l.status];
  const status = el('span', { class: 'status-' + l.status, id: 'licence-status', 'data-status': l.status }, ...bilingual(zh, en));
  const match = bilingual('此文件即登记簿中签发的原件', 'this file is the one the registry issued');
  const anchor = l.anchor ? `交易 ${l.anchor.transactionId}${l.anchor.blockNumber ? `，区块 ${l.anchor.blockNumber}` : ''}` : '待上链 pending';
  return el('section', { class: 'card', id: 'licence' },
    el('h2', {}, ...bilingual('登记簿中的证照', 'The licence in the registry')),
    el('table', {},
      row('证照状态', status),
      row('与原件比对', el('span', { id: 'licence-match', 'data-match': l.match }, ...match)),
      row('证照名称', l.typeName),
      row('证照标识', l.identifier),
      row('持证主体', l.holderMasked),
      row('颁发机构', l.issuer),
      row('有效期', `${l.validFrom} 至 ${l.validUntil || '长期'}`),
      ...(l.renewal ? [row('延续', el('span', { id: 'licence-renewal', 'data-renewal': l.renewal.state }, ...bilingual(RENEWAL[l.renewal.state][0] + (l.renewal.decidedAt ? `（${l.renewal.decidedAt.slice(0, 10)}）` : ''), RENEWAL[l.renewal.state][1])))] : []),
      ...(l.supersededBy ? [row('新版本', el('a', { href: l.supersededBy.statusUrl, id: 'licence-successor' }, l.supersededBy.identifier))] : []),
      row('区块链存证', anchor),
      row('状态页', el('a', { href: l.statusUrl }, l.statusUrl))));
}

function signatureCard(s, reg, i) {
  const isTimestamp = s.kind === 'DOCUMENT_TIMESTAMP';
  const [izh, ien] = INDICATION[s.indication] || [s.indication, s.indication];
  const sub = s.subIndication ? `（${SUB_INDICATION[s.subIndication] || s.subIndication}；${s.subIndication}）` : '';
  const [mzh, men] = MODIFICATION[s.modification] || [s.modification, s.modification];
  const seal = reg && reg.seal;
  const [szh, sen] = seal ? SEAL_STATE[seal.state] || [seal.state, seal.state] : [];
  const sealText = seal
    ? [`${seal.name}（${seal.id}），`, ...bilingual(szh, sen)]
    : [reg && reg.knownCertificate ? '本平台证书，未绑定印章' : '非本平台登记的印章 not a seal of this registry'];
  const signer = s.signer ? [s.signer.commonName, s.signer.organization].filter(Boolean).join('，') || s.signer.subject : '—';
  const rows = [
    row('结果', el('span', { class: 'indication', 'data-indication': s.indication }, `${izh} ${sub}`, ' ', el('span', { class: 'en' }, ien))),
  ];
  if (!isTimestamp) rows.push(row('印章', el('span', { class: 'seal', 'data-seal-state': seal ? seal.state : 'none' }, ...sealText)));
  // OFD: the SES_Seal the signature carries, and whether its maker's signature holds.
  if (s.seal) {
    const made = s.seal.makerSignatureValid ? ['制章人签名有效', 'the seal maker’s signature is valid'] : ['制章人签名无效', 'the seal maker’s signature is invalid'];
    rows.push(row('电子印章', el('span', { class: 'ofd-seal', 'data-maker-valid': String(s.seal.makerSignatureValid) }, `${s.seal.name || '—'}（${s.seal.format}），`, ...bilingual(...made))));
  }
  rows.push(
    row(isTimestamp ? '时间戳机构' : '签名人', signer),
    row('签名时间', time(s.provenSigningTime || s.claimedSigningTime), s.provenSigningTime ? '（可信时间戳证明）' : '（签名人自称）'),
    row('签名后的改动', el('span', { class: 'modification', 'data-modification': s.modification }, mzh, s.modificationAllowed ? '' : '（不允许）', ' ', el('span', { class: 'en' }, men))),
  );
  if (s.changes.length) rows.push(row('改动明细', el('ul', {}, ...s.changes.map((c) => el('li', {}, c)))));
  if (reg && reg.certificateRevokedAt) rows.push(row('证书吊销', time(reg.certificateRevokedAt)));
  if (s.problems.length) rows.push(row('说明', el('ul', {}, ...s.problems.map((p) => el('li', {}, p)))));
  return el('section', { class: 'card signature', 'data-field': s.fieldName || '' },
    el('h3', {}, `${isTimestamp ? '文档时间戳' : '签章'} ${i + 1}`, s.fieldName ? ` · ${s.fieldName}` : '', s.reason ? ` · ${s.reason}` : ''),
    el('table', {}, ...rows));
}

function render(result, name) {
  const { report, licence, signatures, ledger } = result;
  const verdict = report.document.verdict;
  const [zh, en] = VERDICT[verdict] || [verdict, verdict];
  const parts = [
    el('p', { class: 'verdict ' + verdict, id: 'verdict', 'data-verdict': verdict }, ...bilingual(zh, en)),
    el('p', { class: 'note' }, `${name} · ${report.document.size} 字节 · SHA-256 ${report.document.sha256}`),
  ];
  if (licence) parts.push(licenceCard(licence));
  if (report.signatures.length) parts.push(el('h2', {}, ...bilingual('签名与签章', 'Signatures and seals')));
  report.signatures.forEach((s, i) => parts.push(signatureCard(s, signatures[i], i)));
  if (report.document.problems.length) parts.push(el('ul', { class: 'note' }, ...report.document.problems.map((p) => el('li', {}, p))));
  if (ledger && ledger.length) {
    parts.push(el('h2', {}, ...bilingual('区块链存证', 'Ledger records of this file')),
      el('ul', { id: 'ledger' }, ...ledger.map((a) => el('li', {}, `${a.type} · 交易 ${a.transactionId}${a.blockNumber ? ` · 区块 ${a.blockNumber}` : ''}${a.proofValid ? ' · 证明有效' : ''}`))));
  }
  parts.push(el('p', { class: 'note' }, `验证时间 ${time(report.validationTime)}。文件只在验证时读取，不会保存。`));
  $('result').replaceChildren(...parts);
}

async function verify(file) {
  if (!file) return;
  const max = Number(document.body.dataset.maxBytes);
  if (max && file.size > max) return showError('PAYLOAD_TOO_LARGE');
  $('busy').hidden = false;
  $('result').replaceChildren();
  try {
    // The server tells PDF from OFD by the bytes; the type only has to be one it takes.
    const type = file.type === 'application/ofd' || /\.ofd$/i.test(file.name) ? 'application/ofd' : 'application/pdf';
    const res = await fetch('verify', { method: 'POST', headers: { 'content-type': type, accept: 'application/json' }, body: file });
    const body = await res.json().catch(() => null);
    if (!res.ok || !body || !body.report) return showError(body && body.error ? body.error.code : 'HTTP_' + res.status, body && body.error ? body.error.message : '');
    render(body, file.name);
  } catch (e) {
    showError('NETWORK', '网络错误 network error');
  } finally {
    $('busy').hidden = true;
  }
}

const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  verify(e.dataTransfer && e.dataTransfer.files[0]);
});
$('file').addEventListener('change', () => verify($('file').files[0]));
