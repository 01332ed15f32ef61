/**
 * UN/LOCODE place names for the locations the demo, the tests and the README use, so a
 * timeline says "Rotterdam (NLRTM)" rather than a bare code. Source: the UNECE UN/LOCODE
 * code list. A code not listed here is shown as the code alone.
 */
export const PLACE_NAMES: Readonly<Record<string, string>> = {
  CNSHA: "Shanghai, China",
  CNSZX: "Shenzhen, China",
  DEBER: "Berlin, Germany",
  DEHAM: "Hamburg, Germany",
  DEFRA: "Frankfurt am Main, Germany",
  FRPAR: "Paris, France",
  GBLON: "London, United Kingdom",
  NLAMS: "Amsterdam, Netherlands",
  NLRTM: "Rotterdam, Netherlands",
  SGSIN: "Singapore",
  USLAX: "Los Angeles, United States",
  USNYC: "New York, United States",
  VNHAN: "Hanoi, Viet Nam",
  VNHPH: "Haiphong, Viet Nam",
  VNSGN: "Ho Chi Minh City, Viet Nam",
};

/** "Rotterdam, Netherlands (NLRTM)" for a known code, the code itself otherwise. */
export function placeName(locode: string): string {
  const name = PLACE_NAMES[locode];
  return name === undefined ? locode : `${name} (${locode})`;
}
