/**
 * First names and surnames for finding person names, written for Pulje from general knowledge of the most common
 * names in Denmark (Danmarks Statistik's name statistics, all ages, and names given to children since 2000) and in
 * English-speaking countries. Lists of facts, not copied text. Lower case; one space between names.
 *
 * Three grades, because many names are also ordinary words:
 * - plain: not a Danish or English word; counts in any case ("sofie", "Sofie", "SOFIE").
 * - word: also a common word ("bo" = live, "hans" = his, "mark" = field, "will", "rose"); counts only when capitalised
 *   (not all capitals) and not first in a sentence, or followed by a surname, or after a cue ("hedder", "my friend").
 * - weak: also a month, a place or an adjective that is capitalised in running English ("April", "Jordan",
 *   "Christian"); counts only with a surname after it or a cue before it.
 */

const DA_PLAIN = `
peter jens lars michael henrik thomas søren niels morten jesper mads rasmus mikkel ole frederik andreas lucas lukas
oliver william noah emil victor viktor magnus alexander sebastian jonas mathias matthias nikolaj nicolaj nicolai simon
jacob jakob daniel tobias marcus markus oscar oskar malthe malte elias alfred valdemar arthur felix hugo theo otto
viggo anton johan albert benjamin liam bertram laurits lauritz villads sigurd gustav philip phillip filip adam marius
julius konrad asger erik knud poul leif kurt arne ib torben flemming steen carsten claus klaus kenneth brian dennis
jørgen preben palle mogens kristian allan rené jonathan nicklas niklas patrick sune troels ulrik bjarke esben jeppe
kristoffer christoffer milo silas vitus bastian holger harald frej theodor luca elliot hjalte ivan jeppe carl
anne kirsten mette hanne anna helle susanne lene maria marianne camilla pia louise tina gitte bente jette inge
birgit lise rikke dorthe dorte julie emma ida sofie sophie freja clara klara alma agnes ella olivia laura karla carla
nora josefine josephine mathilde matilde isabella frida ellen astrid alberte luna lilly vigga esther sofia emilie
caroline cecilie sara sarah amalie signe maja mia nanna stine trine tine sanne maiken christina kristina katrine
kathrine malene birthe vibeke tove grethe ruth ingrid lotte anja heidi janne britt silje thea liva asta andrea
victoria viktoria hannah hanna molly selma nikoline rebecca rebekka johanne marie celina dicte ditte filippa
frederikke helena iben julia lea leah mille mie nina pernille sabrina sidsel vera ea ulla charlotte merete
jytte lisbeth bodil margrethe kamilla emilia elisabeth benedikte mathias
mohammad mohamed mohammed muhammad ahmad ahmed ali omar yusuf yousef ibrahim mustafa hassan hussein hamza bilal
karim khalid amir mehmet abdi abdullah jamal tariq zaid fatima aisha maryam mariam zainab amina yasmin leyla layla
noor nour hiba malak rania elif zeynep ayse sana hodan ayan sumaya aya ahmet murat
`;

const DA_WORD = `
bo per hans tage tom liv ben kaj sten ask aske birk bjørn gry lærke storm svend kristen line else lone kim jan
kasper bent finn max mark sol karen karl aksel rene naja tilde ester august sami emir lucia
`;

const EN_PLAIN = `
james john robert david richard joseph charles christopher matthew anthony donald steven paul andrew joshua kevin
george timothy ryan jason gary nicholas eric stephen larry justin scott brandon samuel gregory raymond jerry tyler
aaron nathan henry zachary douglas kyle ethan jeremy walter keith roger terry sean gerald harold dylan lawrence
jesse bryan bruce gabriel joe logan alan juan willie elijah wayne vincent roy ralph bobby russell bradley eugene
harry charlie archie freddie alfie owen isaac luke jake josh sam chris jamie toby reuben
mary patricia jennifer linda elizabeth barbara susan jessica lisa nancy betty sandra margaret ashley kimberly emily
donna michelle amanda melissa deborah stephanie helen sharon cynthia kathleen amy angela shirley brenda pamela
nicole samantha katherine christine debra rachel catherine carolyn janet diane joyce kelly lauren joan evelyn
judith megan cheryl martha jacqueline frances gloria ann teresa kathryn janice alice doris abigail judy denise
marilyn beverly danielle theresa sophia diana brittany natalie alexis kayla amelia ava isla freya chloe evie millie
zoe lucy harper scarlett ellie penelope stella zoey emilia
`;

const EN_WORD = `
will frank jack bill billy art pat sue rob guy ray dean drew chase grant lance miles nick matt mike randy mason
dan roger ollie carol heather jean ivy poppy ruby daisy holly jade aria willow violet hazel robin rose amber penny
`;

// Weak everywhere: months and words capitalised in running text for other reasons.
const WEAK = `april may june hope faith grace joy summer autumn dawn christian jordan austin virginia madison`;
// Weak in English only: "August" is a month there, a common boy's name in Danish.
const WEAK_EN = `august`;

const SURNAMES = `
jensen nielsen hansen pedersen andersen christensen larsen sørensen rasmussen jørgensen petersen madsen kristensen
olsen thomsen christiansen poulsen johansen møller mortensen knudsen jakobsen jacobsen mikkelsen olesen frederiksen
laursen henriksen lund schmidt eriksen holm kristiansen clausen simonsen svendsen andreasen iversen jeppesen
mogensen jespersen nissen lauridsen kjær østergaard jepsen mathiasen dam bach berg friis vestergaard lind krogh
nørgaard mortensen overgaard bruun juhl skov kjeldsen damgaard winther
smith jones williams brown taylor davies evans wilson johnson roberts walker wright robinson thompson white hughes
edwards green hall wood harris lewis clarke clark turner hill cooper morris ward moore king watson baker harrison
morgan patel young allen mitchell anderson phillips lee bell parker davis miller garcia rodriguez martinez
khan hussain yilmaz demir kaya
`;

const words = (s: string) => s.split(/\s+/).filter(Boolean);

export type NameGrade = 'plain' | 'word' | 'weak';

function gradeMap(locale: 'da' | 'en'): Map<string, NameGrade> {
  const map = new Map<string, NameGrade>();
  for (const n of [...words(DA_PLAIN), ...words(EN_PLAIN)]) map.set(n, 'plain');
  for (const n of [...words(DA_WORD), ...words(EN_WORD)]) map.set(n, 'word');
  for (const n of words(WEAK)) map.set(n, 'weak');
  if (locale === 'en') for (const n of words(WEAK_EN)) map.set(n, 'weak');
  return map;
}

export const FIRST_NAMES: Record<'da' | 'en', ReadonlyMap<string, NameGrade>> = { da: gradeMap('da'), en: gradeMap('en') };
export const SURNAME_SET: ReadonlySet<string> = new Set(words(SURNAMES));

/** Surname shapes: a capitalised word after a first name that ends like a Danish or English family name. */
export const SURNAME_SHAPE =
  /(?:sen|son|gaard|gård|strup|holm|skov|bæk|berg|borg|lund|dahl|mann|ström|strøm|stein|field|ford|ton|ley|wood)$/u;

/**
 * Capitalised word pairs that begin with a first name but are not a person: brands, feasts, places.
 * Lower case, checked against the name and the next word.
 */
export const NOT_PERSONS: ReadonlySet<string> = new Set([
  'max burger',
  'max burgers',
  'jack jones',
  'tom tailor',
  'bo bedre',
  'rose bowl',
  'ben jerry',
  'tom jerry',
  'sankt hans',
  'skt hans',
  'kong hans',
  'hans christian',
]);

/** Words before a name that say it is a name: "hedder Bo", "my friend Will", "hr. Jensen". Lower case, no dot. */
export const NAME_CUES: ReadonlySet<string> = new Set([
  'hedder',
  'hed',
  'kaldet',
  'kaldes',
  'navn',
  'named',
  'called',
  'ven',
  'veninde',
  'vennen',
  'veninden',
  'kæreste',
  'kæresten',
  'bror',
  'broren',
  'søster',
  'søsteren',
  'friend',
  'brother',
  'sister',
  'boyfriend',
  'girlfriend',
  'hr',
  'fru',
  'frk',
  'mr',
  'mrs',
  'ms',
  'miss',
  'lærer',
  'læreren',
  'pædagog',
  'pædagogen',
  'teacher',
]);

/** Titles before a surname alone: "hr. Jensen", "Mrs Smith". */
export const TITLE_CUES: ReadonlySet<string> = new Set(['hr', 'fru', 'frk', 'mr', 'mrs', 'ms', 'miss', 'dr']);

/**
 * Common Danish and English words, for telling a handle or a member's name part from an ordinary word
 * ("insta: måske" is not a handle; a member called "Cool Kid" is not found in "cool idé").
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  words(`
  og i at det en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun nu over
  da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog noget ville
  jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse
  hvis din nogle hos blive mange ad bliver hendes været thi jer sådan måske senere nej ja okay ok tak hej hey godt
  fint super sjovt mega vildt lige bare snart aldrig altid nok lidt mere mest først sidst ny nye gammel stor lille
  the a an and or but if of to in on at by for with from is are was were be been am i you he she it we they me him
  her us them my your his its our their this that these those what which who whom when where why how all any both
  each few more most other some such no nor not only own same so than too very can will just don should now yes
  cool kid story post live reel stories profil profile follow følg tilføj add
`),
);
