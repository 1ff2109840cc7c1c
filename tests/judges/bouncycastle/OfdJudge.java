// An independent judge of sealed OFD packages for the tests (issue #13): it shares no code
// with zhengyin's verifier. The JDK reads the zip (java.util.zip) and the XML (its DOM
// parser); BouncyCastle (Debian libbcprov-java) computes SM3, decodes the ASN.1 and checks
// SM2 with its SM2Signer and the standard user ID. The test compiles this file with javac
// into a temporary folder and runs it with `java -cp <folder>:<bcprov.jar> OfdJudge FILE.ofd`.
//
// For every signature listed in the package it checks:
//   - each Reference of Signature.xml: the digest (CheckMethod SM3) of the raw bytes of the
//     file it names;
//   - dataHash in TBS_Sign = SM3 of the raw Signature.xml bytes;
//   - the signer's SM2 signature over the raw DER of TBS_Sign, with the public key of the
//     signer certificate (V4: SES_Signature.cert; V1: TBS_Sign.cert);
//   - the seal maker's SM2 signature with the maker certificate in the SES_Seal: over the raw
//     DER of eSealInfo (GB/T 38540, V4) or SEQUENCE{sealInfo, cert, signatureAlgorithm}
//     (GM/T 0031, V1).
// It prints one JSON object per signature on its own line, in the order Signatures.xml lists
// them; `null` means "not checked" (the reason is in problems). A package it cannot read at
// all gives one line {"error": "..."} and exit status 2.
//
// SM2 signature values are read leniently, as seal systems write them: DER, raw r||s, or DER
// whose INTEGERs lack the 0x00 a set high bit needs; the encoding found is reported.

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

public final class OfdJudge {
  private static final byte[] STANDARD_USER_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
  private static final String SM2_WITH_SM3 = "1.2.156.10197.1.501";
  private static final String SM3 = "1.2.156.10197.1.401";
  // Bounds for a test judge: enough for any licence, small enough that a hostile file fails fast.
  private static final int MAX_ENTRIES = 10_000;
  private static final long MAX_ENTRY_BYTES = 64L << 20;

  /** A thrown reason that ends the judgement of one signature (or of the package). */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: java -cp <classes>:<bcprov.jar> OfdJudge FILE.ofd");
      System.exit(64);
    }
    Map<String, byte[]> files;
    List<Map<String, Object>> verdicts = new ArrayList<>();
    try {
      files = readZip(args[0]);
      for (String[] listed : listedSignatures(files)) verdicts.add(judge(files, listed[0], listed[1], listed[2]));
    } catch (Refused | IOException | RuntimeException e) {
      System.out.println(json(Map.of("error", String.valueOf(e.getMessage()))));
      System.exit(2);
      return;
    }
    for (Map<String, Object> v : verdicts) System.out.println(json(v));
  }

  // ---- package -------------------------------------------------------------------------

  private static Map<String, byte[]> readZip(String path) throws IOException, Refused {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(path)) {
      if (zip.size() > MAX_ENTRIES) throw new Refused("more than " + MAX_ENTRIES + " zip entries");
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) continue;
        String name = normalise(entry.getName());
        try (InputStream in = zip.getInputStream(entry)) {
          byte[] data = in.readNBytes((int) MAX_ENTRY_BYTES + 1);
          if (data.length > MAX_ENTRY_BYTES) throw new Refused(name + ": larger than " + MAX_ENTRY_BYTES + " bytes");
          files.put(name, data);
        }
      }
    }
    return files;
  }

  /** Package path without a leading '/', '.' and '..' resolved; a path leaving the package is refused. */
  private static String normalise(String path) throws Refused {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.replace('\\', '/').split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) {
        if (parts.isEmpty()) throw new Refused(path + ": leaves the package");
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  /** ST_Loc: absolute from the package root when it starts with '/', else relative to `folder`. */
  private static String resolve(String folder, String loc) throws Refused {
    loc = loc.trim();
    return normalise(loc.startsWith("/") || folder.isEmpty() ? loc : folder + "/" + loc);
  }

  private static String folderOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static byte[] file(Map<String, byte[]> files, String name) throws Refused {
    byte[] data = files.get(name);
    if (data == null) throw new Refused(name + ": not in the package");
    return data;
  }

  /** [Signature.xml path, ID, Type] for each Signature entry of each Signatures file that OFD.xml names. */
  private static List<String[]> listedSignatures(Map<String, byte[]> files) throws Refused {
    Document ofd = xml(file(files, "OFD.xml"), "OFD.xml");
    List<String[]> listed = new ArrayList<>();
    for (Element list : elements(ofd.getDocumentElement(), "Signatures")) {
      String listPath = resolve("", list.getTextContent());
      Document signatures = xml(file(files, listPath), listPath);
      for (Element sig : elements(signatures.getDocumentElement(), "Signature")) {
        String type = sig.getAttribute("Type");
        listed.add(new String[] {resolve(folderOf(listPath), sig.getAttribute("BaseLoc")), sig.getAttribute("ID"), type.isEmpty() ? "Seal" : type});
      }
    }
    return listed;
  }

  // ---- one signature -------------------------------------------------------------------

  private static Map<String, Object> judge(Map<String, byte[]> files, String signaturePath, String id, String type) {
    Map<String, Object> v = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    v.put("id", id);
    v.put("type", type);
    v.put("signature", signaturePath);
    v.put("version", null);
    v.put("references", new ArrayList<Map<String, Object>>());
    v.put("referencesOk", null);
    v.put("dataHashOk", null);
    v.put("signerSignatureOk", null);
    v.put("signatureEncoding", null);
    v.put("makerSignatureOk", null);
    v.put("problems", problems);
    try {
      byte[] signatureXml = file(files, signaturePath);
      Element root = xml(signatureXml, signaturePath).getDocumentElement();
      v.put("referencesOk", checkReferences(files, root, signaturePath, v, problems));
      Element signedValue = only(root, "SignedValue", signaturePath);
      String valuePath = resolve(folderOf(signaturePath), signedValue.getTextContent());
      if (!type.equals("Seal")) throw new Refused("Type=" + type + " (GB/T 35275 PKCS#7) is not judged here");
      judgeSes(file(files, valuePath), signatureXml, v, problems);
    } catch (Refused | RuntimeException e) {
      problems.add(String.valueOf(e.getMessage()));
    }
    return v;
  }

  private static boolean checkReferences(Map<String, byte[]> files, Element root, String signaturePath, Map<String, Object> v, List<String> problems) throws Refused {
    Element references = only(root, "References", signaturePath);
    String method = references.getAttribute("CheckMethod").trim();
    if (!method.equals(SM3) && !method.equalsIgnoreCase("SM3")) throw new Refused("CheckMethod " + method + " is not SM3");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> out = (List<Map<String, Object>>) v.get("references");
    boolean all = true;
    List<Element> refs = elements(references, "Reference");
    if (refs.isEmpty()) {
      problems.add("no Reference");
      return false;
    }
    for (Element ref : refs) {
      String loc = ref.getAttribute("FileRef");
      String name = resolve("", loc);
      // A relative FileRef is read from the package root, or else beside Signature.xml.
      if (!files.containsKey(name) && !loc.trim().startsWith("/")) name = resolve(folderOf(signaturePath), loc);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("file", name);
      boolean ok;
      byte[] data = files.get(name);
      if (data == null) {
        ok = false;
        problems.add(name + ": referenced but not in the package");
      } else {
        byte[] expected = Base64.getMimeDecoder().decode(only(ref, "CheckValue", signaturePath).getTextContent().trim());
        ok = Arrays.equals(sm3(data), expected);
        if (!ok) problems.add(name + ": SM3 digest differs from the Reference");
      }
      r.put("ok", ok);
      out.add(r);
      all &= ok;
    }
    return all;
  }

  private static void judgeSes(byte[] ses, byte[] signatureXml, Map<String, Object> v, List<String> problems) throws Refused {
    Der signature = Der.whole(ses);
    List<Der> top = signature.children();
    Der tbs = top.get(0);
    List<Der> tbsParts = tbs.children();
    int version = integer(tbsParts.get(0)).intValueExact();
    v.put("version", version);
    // V4 (GB/T 38540): SES_Signature{TBS_Sign, cert, signatureAlgID, signature, [0] timeStamp}
    // V1 (GM/T 0031):  SES_Signature{TBS_Sign, signature}, the certificate inside TBS_Sign.
    boolean v4 = top.size() >= 4 && top.get(1).tag == 0x04;
    Der signerCert = v4 ? top.get(1) : tbsParts.get(5);
    Der signatureAlg = v4 ? top.get(2) : tbsParts.get(6);
    Der signatureValue = v4 ? top.get(3) : top.get(1);

    byte[] dataHash = bitString(tbsParts.get(3));
    boolean dataHashOk = Arrays.equals(dataHash, sm3(signatureXml));
    v.put("dataHashOk", dataHashOk);
    if (!dataHashOk) problems.add("dataHash is not the SM3 of Signature.xml");

    requireSm2(signatureAlg, "signer");
    SignatureCheck signer = sm2Verify(octets(signerCert), tbs.raw(), bitString(signatureValue));
    v.put("signerSignatureOk", signer.ok);
    v.put("signatureEncoding", signer.encoding);
    if (!signer.ok) problems.add("the signer's SM2 signature over TBS_Sign does not verify");

    List<Der> seal = tbsParts.get(1).children();
    Der sealInfo = seal.get(0);
    byte[] makerSigned;
    Der makerCert;
    Der makerValue;
    if (v4) {
      makerCert = seal.get(1);
      requireSm2(seal.get(2), "maker");
      makerValue = seal.get(3);
      makerSigned = sealInfo.raw();
    } else {
      List<Der> signInfo = seal.get(1).children();
      makerCert = signInfo.get(0);
      requireSm2(signInfo.get(1), "maker");
      makerValue = signInfo.get(2);
      makerSigned = Der.sequence(sealInfo.raw(), makerCert.raw(), signInfo.get(1).raw());
    }
    SignatureCheck maker = sm2Verify(octets(makerCert), makerSigned, bitString(makerValue));
    v.put("makerSignatureOk", maker.ok);
    if (!maker.ok) problems.add("the seal maker's SM2 signature does not verify");
  }

  // ---- SM2 and SM3 with BouncyCastle ------------------------------------------------------

  private record SignatureCheck(boolean ok, String encoding) {}

  private static SignatureCheck sm2Verify(byte[] certificate, byte[] message, byte[] value) throws Refused {
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(Certificate.getInstance(certificate).getSubjectPublicKeyInfo());
    } catch (IOException | RuntimeException e) {
      throw new Refused("certificate unreadable: " + e.getMessage());
    }
    if (!(key instanceof ECPublicKeyParameters)) throw new Refused("certificate key is not an EC (SM2) key");
    BigInteger[] rs;
    String encoding;
    try {
      List<Der> ints = Der.whole(value).children();
      if (ints.size() != 2 || ints.get(0).tag != 0x02 || ints.get(1).tag != 0x02) throw new Refused("not SEQUENCE{r, s}");
      // Unsigned reading, so that INTEGERs missing their 0x00 pad still give the right r and s.
      rs = new BigInteger[] {new BigInteger(1, ints.get(0).content()), new BigInteger(1, ints.get(1).content())};
      boolean strict = Arrays.equals(Der.sequence(new ASN1Integer(rs[0]).getEncoded(), new ASN1Integer(rs[1]).getEncoded()), value);
      encoding = strict ? "der" : "unsigned-der";
    } catch (Refused | IOException | RuntimeException notDer) {
      if (value.length != 64) throw new Refused("SM2 signature value is neither DER nor 64 bytes r||s");
      rs = new BigInteger[] {new BigInteger(1, Arrays.copyOfRange(value, 0, 32)), new BigInteger(1, Arrays.copyOfRange(value, 32, 64))};
      encoding = "raw";
    }
    SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE);
    CipherParameters params = new ParametersWithID(key, STANDARD_USER_ID);
    signer.init(false, params);
    signer.update(message, 0, message.length);
    byte[] plain;
    try {
      plain = PlainDSAEncoding.INSTANCE.encode(((ECPublicKeyParameters) key).getParameters().getN(), rs[0], rs[1]);
    } catch (IllegalArgumentException outOfRange) {
      return new SignatureCheck(false, encoding);
    }
    return new SignatureCheck(signer.verifySignature(plain), encoding);
  }

  private static byte[] sm3(byte[] data) {
    SM3Digest d = new SM3Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  private static void requireSm2(Der alg, String who) throws Refused {
    String oid = ASN1ObjectIdentifier.getInstance(alg.primitive()).getId();
    if (!oid.equals(SM2_WITH_SM3)) throw new Refused(who + " algorithm " + oid + " is not SM2 with SM3");
  }

  private static BigInteger integer(Der d) throws Refused {
    return ASN1Integer.getInstance(d.primitive()).getValue();
  }

  private static byte[] octets(Der d) throws Refused {
    return ASN1OctetString.getInstance(d.primitive()).getOctets();
  }

  private static byte[] bitString(Der d) throws Refused {
    return ASN1BitString.getInstance(d.primitive()).getOctets();
  }

  // ---- raw DER: the exact bytes a signature covers ------------------------------------------

  /**
   * One DER element inside a buffer, by position, so that what is verified is the bytes in the
   * file and never a re-encoding; BouncyCastle decodes each leaf's value.
   */
  private static final class Der {
    final byte[] buf;
    final int start;
    final int contentStart;
    final int end;
    final int tag;

    private Der(byte[] buf, int start, int limit) throws Refused {
      if (start + 2 > limit) throw new Refused("truncated ASN.1");
      this.buf = buf;
      this.start = start;
      this.tag = buf[start] & 0xff;
      if ((tag & 0x1f) == 0x1f) throw new Refused("multi-byte ASN.1 tags are not expected here");
      int first = buf[start + 1] & 0xff;
      int pos = start + 2;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int n = first & 0x7f;
        if (n == 0) throw new Refused("indefinite ASN.1 length (BER, not DER)");
        if (n > 4 || pos + n > limit) throw new Refused("bad ASN.1 length");
        length = 0;
        for (int i = 0; i < n; i++) length = (length << 8) | (buf[pos++] & 0xff);
      }
      if (pos + length > limit) throw new Refused("ASN.1 element runs past its container");
      this.contentStart = pos;
      this.end = (int) (pos + length);
    }

    static Der whole(byte[] buf) throws Refused {
      Der d = new Der(buf, 0, buf.length);
      if (d.end != buf.length) throw new Refused("trailing bytes after the ASN.1 element");
      return d;
    }

    List<Der> children() throws Refused {
      if ((tag & 0x20) == 0) throw new Refused("ASN.1 element " + Integer.toHexString(tag) + " is not constructed");
      List<Der> out = new ArrayList<>();
      for (int p = contentStart; p < end; ) {
        Der child = new Der(buf, p, end);
        out.add(child);
        p = child.end;
      }
      return out;
    }

    byte[] raw() {
      return Arrays.copyOfRange(buf, start, end);
    }

    byte[] content() {
      return Arrays.copyOfRange(buf, contentStart, end);
    }

    ASN1Primitive primitive() throws Refused {
      try {
        return ASN1Primitive.fromByteArray(raw());
      } catch (IOException e) {
        throw new Refused("ASN.1: " + e.getMessage());
      }
    }

    /** DER SEQUENCE around already-encoded elements. */
    static byte[] sequence(byte[]... elements) {
      int length = 0;
      for (byte[] e : elements) length += e.length;
      byte[] header;
      if (length < 0x80) header = new byte[] {0x30, (byte) length};
      else if (length < 0x100) header = new byte[] {0x30, (byte) 0x81, (byte) length};
      else if (length < 0x10000) header = new byte[] {0x30, (byte) 0x82, (byte) (length >> 8), (byte) length};
      else header = new byte[] {0x30, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
      byte[] out = Arrays.copyOf(header, header.length + length);
      int p = header.length;
      for (byte[] e : elements) {
        System.arraycopy(e, 0, out, p, e.length);
        p += e.length;
      }
      return out;
    }
  }

  // ---- XML ----------------------------------------------------------------------------------

  private static Document xml(byte[] data, String name) throws Refused {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      // No DTDs and no external entities: the package is untrusted input.
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new ByteArrayInputStream(data));
    } catch (Exception e) {
      throw new Refused(name + ": not well-formed XML (" + e.getMessage() + ")");
    }
  }

  /** Descendant elements of `parent` with this local name, in document order. */
  private static List<Element> elements(Element parent, String localName) {
    List<Element> out = new ArrayList<>();
    NodeList all = parent.getElementsByTagNameNS("*", localName);
    for (int i = 0; i < all.getLength(); i++) {
      Node n = all.item(i);
      if (n instanceof Element e) out.add(e);
    }
    return out;
  }

  private static Element only(Element parent, String localName, String where) throws Refused {
    List<Element> found = elements(parent, localName);
    if (found.size() != 1) throw new Refused(where + ": " + found.size() + " " + localName + " elements, expected 1");
    return found.get(0);
  }

  // ---- JSON out -------------------------------------------------------------------------------

  private static String json(Object value) {
    if (value == null) return "null";
    if (value instanceof Boolean || value instanceof Integer) return value.toString();
    if (value instanceof Map<?, ?> map) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (sb.length() > 1) sb.append(',');
        sb.append(json(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (value instanceof List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (Object o : list) {
        if (sb.length() > 1) sb.append(',');
        sb.append(json(o));
      }
      return sb.append(']').toString();
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char c : value.toString().toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }
}
