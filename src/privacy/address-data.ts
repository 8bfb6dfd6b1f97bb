/**
 * Word lists for Danish (and English) street addresses, written for Pulje from the conventions of Danish addresses
 * (DAR: street name, house number with an optional letter, floor and door, postcode and postal district) and of
 * British/US ones (number first, then the street). Lower case.
 */

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/**
 * Endings of Danish street names that are never ordinary compound words a young person would follow with a number:
 * found in any case and joined to a prefix ("nørrebrogade 12", "Jagtvej 69").
 */
export const STREET_SUFFIXES_ANY_CASE: readonly string[] = words(`
  vej vejen gade gaden stræde strædet vænge vænget boulevard boulevarden allé alléen
`);

/**
 * Endings that also end ordinary words ("børnehave", "siddeplads", "skatepark"), so they count only when the word is
 * capitalised and joined to a prefix ("Rådhuspladsen 1", "Bøgelunden 4").
 */
export const STREET_SUFFIXES_CAPITALISED: readonly string[] = words(`
  plads pladsen torv torvet parken haven bakken bakke højen høj toften toft lunden lund engen marken holmen dalen
  brygge kaj kajen ageren løkken løkke krogen hegnet skoven mosen kæret kær vangen vang stien gyden gyde passagen
  promenaden skrænten tofte hus huse vænget have
`);

/** Compound words that end in a street suffix but are not streets. */
export const NOT_STREETS: ReadonlySet<string> = new Set(
  words(`motorvej motorvejen omvej omvejen genvej genvejen landevej landevejen hovedvej hovedvejen sidevej sidevejen
  grusvej cykelvej togvej brigade arkade arkaden gågade gågaden sidegade sidegaden glidebane
  flyvej flyvejen luftvej luftvejen livsvej kørevej vandvej vandvejen`),
);

/**
 * Street words that stand alone as the last word of a multi-word name ("Frederiksberg Allé", "Sankt Hans Torv",
 * "Baker Street"). English ones come before or after the number.
 */
export const STREET_WORDS_STANDALONE: ReadonlySet<string> = new Set(
  words(`allé alle boulevard vej gade torv plads stræde vænge have park brygge kanal kaj bro
  street st road rd avenue ave lane ln drive close way place square court crescent terrace gardens grove row`),
);
export const ENGLISH_STREET_WORDS: ReadonlySet<string> = new Set(
  words(`street st road rd avenue ave lane ln drive close way place square court crescent terrace gardens grove row boulevard`),
);

/** Words that begin multi-word Danish street names: "Gammel Kongevej", "Ved Stranden", "Skt. Annæ Plads". */
export const STREET_PREFIXES: ReadonlySet<string> = new Set(
  words(`ved gammel gl ny nye sankt skt store lille nørre søndre vester øster nordre kongens dronning dronningens
  prins prinsesse kong h c hc`),
);

/**
 * Postal districts (by-navne) of Denmark, written from Post Danmark's postcode register as commonly known: the
 * largest towns and every Copenhagen-area district. Lower case, with the district letters where they are part of the
 * name. Used to tell "2200 København N" (an address part) from "i 2026 skal vi".
 */
export const TOWNS: ReadonlySet<string> = new Set(
  words(`
  københavn kbh cph frederiksberg valby vanløse brønshøj hellerup gentofte charlottenlund klampenborg lyngby virum
  holte nærum søborg bagsværd herlev ballerup måløv skovlunde smørum glostrup brøndby hvidovre rødovre albertslund
  vallensbæk ishøj greve karlslunde taastrup hedehusene roskilde dragør kastrup tårnby køge hillerød helsingør
  fredensborg hørsholm rungsted birkerød farum værløse allerød lillerød frederikssund holbæk kalundborg slagelse
  sorø ringsted næstved vordingborg nykøbing maribo nakskov rønne nexø odense svendborg nyborg middelfart assens
  faaborg kerteminde bogense aarhus århus risskov viby højbjerg brabrand åbyhøj egå lystrup skødstrup hjortshøj
  tranbjerg beder malling skanderborg silkeborg randers horsens vejle kolding fredericia esbjerg ribe haderslev
  aabenraa sønderborg tønder herning holstebro ikast brande struer lemvig skive viborg thisted hobro aalborg
  nørresundby frederikshavn skagen hjørring brønderslev sæby grenaa grenå ebeltoft varde billund grindsted give
  hadsten hammel odder ry vejen stege faxe haslev ølstykke stenløse jyllinge hundested frederiksværk helsinge
  gilleleje hornbæk espergærde humlebæk nivå kokkedal vedbæk solrød hørve jægerspris slangerup kongens
  `),
);

/** District letters after a town: "København N", "Aarhus C", "Odense SØ", "Viby J". Upper case as written. */
export const DISTRICTS: ReadonlySet<string> = new Set(words(`K V Ø N S C NV SV NØ SØ J M F Sj Strand Lyngby Kyst`));

/** Parts of towns that begin street names: "Amager Strandvej", "Vesterbro Torv". */
export const AREAS: ReadonlySet<string> = new Set(
  words(`amager nørrebro vesterbro østerbro christianshavn sydhavn nordvest islands bispebjerg amagerbro sundby`),
);
