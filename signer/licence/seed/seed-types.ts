import type { LicenceType } from '../licence-type.ts';
import business from '../../../catalogue/licence-types/business-licence.json' with { type: 'json' };
import providentFund from '../../../catalogue/licence-types/provident-fund-certificate.json' with { type: 'json' };
import realEstate from '../../../catalogue/licence-types/real-estate-certificate.json' with { type: 'json' };

/**
 * A licence type as the catalogue folder holds it: the type itself, plus the editor's
 * `$schema` hint and the departments that issue it, which are not part of the type.
 */
function fromCatalogue(file: object): LicenceType {
  const { $schema: _schema, issuers: _issuers, ...type } = file as LicenceType & { $schema?: string; issuers?: string[] };
  return type;
}

/** 营业执照 (business licence), local demo type: landscape A4, the layout of the 2016 paper licence. */
export const BUSINESS_LICENCE: LicenceType = fromCatalogue(business);
/** 不动产权证书 (real-estate title certificate), local demo type after the 2015 certificate page. */
export const REAL_ESTATE_CERTIFICATE: LicenceType = fromCatalogue(realEstate);
/** 住房公积金缴存证明 (housing provident fund deposit certificate), local demo type; valid three months. */
export const PROVIDENT_FUND_CERTIFICATE: LicenceType = fromCatalogue(providentFund);
