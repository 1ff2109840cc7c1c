"""Validates every signature of a PDF with pyHanko and prints one JSON object.

Run by tests/support/pyhanko.ts with Debian's /usr/bin/python3 and PYTHONPATH naming the
pyHanko 0.20.1 and pyhanko-certvalidator 0.24.1 source trees (see shared notes on judges).

    python3 pyhanko_validate.py --pdf F.pdf --root R.der [--crl C.der ...] [--ocsp O.der ...]
        [--revocation-mode hard-fail|soft-fail]

Nothing is fetched: the validation context holds only the roots, CRLs and OCSP responses
given, so a missing revocation answer shows as a trust problem, not as a network call.
"""

import argparse
import json
import sys

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext


def der_or_pem(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data.lstrip().startswith(b'-----BEGIN'):
        from asn1crypto import pem

        _, _, data = pem.unarmor(data)
    return data


def enum_name(value):
    return None if value is None else getattr(value, 'name', str(value))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pdf', required=True)
    parser.add_argument('--root', action='append', default=[])
    parser.add_argument('--crl', action='append', default=[])
    parser.add_argument('--ocsp', action='append', default=[])
    parser.add_argument('--revocation-mode', default='hard-fail')
    args = parser.parse_args()

    from asn1crypto import x509

    roots = [x509.Certificate.load(der_or_pem(p)) for p in args.root]

    def context():
        # A fresh context per signature: pyHanko caches path and revocation results in it.
        return ValidationContext(
            trust_roots=roots,
            crls=[der_or_pem(p) for p in args.crl],
            ocsps=[der_or_pem(p) for p in args.ocsp],
            allow_fetching=False,
            revocation_mode=args.revocation_mode,
        )

    out = []
    with open(args.pdf, 'rb') as f:
        reader = PdfFileReader(f, strict=False)
        for sig in reader.embedded_signatures:
            entry = {'field': sig.field_name, 'type': sig.sig_object_type.lstrip('/') if sig.sig_object_type else None}
            try:
                if sig.sig_object_type == '/DocTimeStamp':
                    status = validate_pdf_timestamp(sig, validation_context=context())
                else:
                    status = validate_pdf_signature(sig, signer_validation_context=context(), ts_validation_context=context())
                diff = status.diff_result
                entry.update(
                    intact=bool(status.intact),
                    valid=bool(status.valid),
                    trusted=bool(status.trusted),
                    modificationLevel=enum_name(status.modification_level),
                    docmdpOk=status.docmdp_ok,
                    coverage=enum_name(status.coverage),
                    bottomLine=bool(getattr(status, 'bottom_line', status.valid and status.trusted and status.docmdp_ok is not False)),
                    diff=None if diff is None or not isinstance(diff, Exception) else str(diff),
                    details=status.pretty_print_details() if hasattr(status, 'pretty_print_details') else status.summary(),
                )
            except Exception as e:  # reported per signature: one bad signature must not hide the others
                entry.update(error=f'{type(e).__name__}: {e}')
            out.append(entry)
    json.dump({'signatures': out}, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    main()
