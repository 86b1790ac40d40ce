import type { Pdf } from './pdf-writer';

/** Factur-X 1.0 (= ZUGFeRD 2.x), profile EN 16931: the embedded file's name and the XMP the PDF/A-3 must carry. */
export const FACTUR_X_FILENAME = 'factur-x.xml';
export const FACTUR_X_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
export const FACTUR_X_CONFORMANCE = 'EN 16931';

const property = (name: string, description: string) => `
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;

/** The fx: properties and their PDF/A extension schema (Factur-X 1.0.07 specification, § 6.2.2). */
const XMP = `
        <rdf:Description xmlns:fx="${FACTUR_X_NAMESPACE}" rdf:about="">
            <fx:DocumentType>INVOICE</fx:DocumentType>
            <fx:DocumentFileName>${FACTUR_X_FILENAME}</fx:DocumentFileName>
            <fx:Version>1.0</fx:Version>
            <fx:ConformanceLevel>${FACTUR_X_CONFORMANCE}</fx:ConformanceLevel>
        </rdf:Description>
        <rdf:Description xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" rdf:about="">
          <pdfaExtension:schemas>
            <rdf:Bag>
              <rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>${FACTUR_X_NAMESPACE}</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                <pdfaSchema:property>
                  <rdf:Seq>${property('DocumentFileName', 'name of the embedded XML invoice file')}${property('DocumentType', 'INVOICE')}${property('Version', 'The actual version of the Factur-X XML schema')}${property('ConformanceLevel', 'The conformance level of the embedded Factur-X data')}
                  </rdf:Seq>
                </pdfaSchema:property>
              </rdf:li>
            </rdf:Bag>
          </pdfaExtension:schemas>
        </rdf:Description>
`;

/**
 * Embeds the CII XML as an associated file of the document (/AF in the catalog, AFRelationship /Alternative:
 * the XML is the same invoice in another form, as Factur-X asks for the EN 16931 profile), with the file's
 * dates fixed to the invoice's, and adds the fx: XMP properties with their extension schema.
 */
export function embedFacturX(pdf: Pdf, xml: string, at: Date): void {
  pdf.file(Buffer.from(xml, 'utf8'), {
    name: FACTUR_X_FILENAME, type: 'text/xml', relationship: 'Alternative', description: 'Factur-X invoice (CII, EN 16931)',
    creationDate: at, modifiedDate: at,
  } as Parameters<Pdf['file']>[1]);
  pdf.appendXML(XMP);
}
