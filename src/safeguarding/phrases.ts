/**
 * Phrase lists for crisis signals, Danish and English, written for Pulje from what helplines and youth workers list
 * as warning signs (intent, plan or method, self-harm, overdose, violence and sexual abuse, grooming and
 * sextortion), including slang and algospeak young people use ("kms", "unalive", "sewerslide", "cutter", "ctb").
 * Reviewed by a person before production: see README.md.
 *
 * Pattern language (matched against normalise()d text, so write ordinary spelling):
 *   word          one word; `word*` a word starting with it
 *   a|b           one of these words
 *   [a|b]         optionally one of these words
 *   {a b/c d}     one of these word sequences; `{…}?` optional
 *   ~  ~2         up to 3 (or N) other words
 *   #             a number
 * `notAfter` / `notBefore`: a pattern that, directly after / before the match, cancels it ("han slår mig" but not
 * "han slår mig altid i fifa"; "kms" but not "20 kms").
 */

export type CrisisLevel = 'none' | 'concern' | 'urgent';
export const CRISIS_CATEGORIES = [
  'suicide',
  'self-harm',
  'overdose',
  'abuse',
  'sexual-abuse',
  'grooming',
  'harassment',
  'distress',
] as const;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];

export interface Phrase {
  id: string;
  level: Exclude<CrisisLevel, 'none'>;
  category: CrisisCategory;
  patterns: string[];
  notAfter?: string;
  notBefore?: string;
}

// Who hurts: people around a young person.
const WHO =
  '{han/hun/de/far/mor/fars/mors/min far/min mor/min fars/min mors/min stedfar/min stedmor/min papfar/min bonusfar/min bror/min storebror/min søster/min kæreste/kæresten/min eks/min onkel/min træner/min lærer/hendes kæreste/hans kæreste/mors kæreste/min mors kæreste/hans far/hendes far}';
const WHO_EN =
  '{he/she/they/my dad/my father/my mum/my mom/my mother/my stepdad/my stepmum/my stepmom/my brother/my sister/my boyfriend/my girlfriend/my bf/my gf/my ex/my uncle/my coach/my teacher/her boyfriend/his dad/moms boyfriend/my moms boyfriend/mums boyfriend}';
// Games and sports, after which "he beats me" is about losing.
// Adverbs that sit between the words of a phrase ("jeg vil helst bare dø", "vil jeg slet ikke leve").
const ADV = '[bare|gerne|helst|egentlig|virkelig|nok|snart|altså|simpelthen|også|stadig|tit|ofte|slet|igen|bare|nærmest|faktisk]';
const GAMES =
  '{ihjel/altid/hver gang/nemt/let/til/ved/med/på/i fifa/i skak/i spil/i ludo/i fodbold/i uno/i kort/i fortnite/i matematik/i mario/i bordtennis/i badminton/i tennis/i armlægning/i løb/i cs/i lol}';
const GAMES_EN = '{at/in/every time/all the time/easily/to it/again at/up/out/off}';

export const PHRASES: Phrase[] = [
  // ---------------------------------------------------------------- suicide, Danish
  {
    id: 'da.suicide.plan',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      'tænker|tænkt|tænkte|overvejer|overvejet|planlægger|planlagt ~2 selvmord*',
      'begå|begår|begik|begået [næsten|nær|nærmest] selvmord',
    ],
  },
  {
    id: 'da.suicide.thoughts',
    level: 'urgent',
    category: 'suicide',
    patterns: ['har|fik|får|haft|havde ~2 {selvmordstank*/selvmords tank*/selvmord tank*}', 'forsøgt|forsøgte|prøvet|prøvede ~2 selvmord*'],
  },
  {
    id: 'da.suicide.kill-self',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      'slå|slår|slog|slået mig selv ihjel',
      'jeg [vil|skal|ville|kunne|burde|kommer|tænker|overvejer|gider] [til|på|bare|gerne|snart] [at] slå|slår mig ihjel',
      'tage|tager|tog mit [eget] liv',
      'tage|tager livet af mig [selv]',
      'ende|ender mit liv',
      'gøre en ende på {det/mit liv/livet/det hele}',
      'ende det hele',
    ],
  },
  {
    id: 'da.suicide.no-life',
    level: 'urgent',
    category: 'suicide',
    notAfter: '{uden/med/sådan/på den måde}',
    patterns: [
      `vil|gider|orker|kan|magter|ønsker [jeg] ${ADV} ${ADV} ikke|ik|ikk [at] leve [mere|længere|videre]`,
      'ikke lyst til at leve [mere|længere]',
      'ingen|nogen grund til at leve [mere|længere|videre]',
      'ikke lyst til at være her [mere|længere]',
      'vil ikke være her [mere|længere]',
      'orker ikke livet',
      'vil ikke vågne [op] [igen]',
      'håber [at] jeg ikke vågner',
    ],
  },
  {
    id: 'da.suicide.dead-wish',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      'ønsker|ønskede|ønske [at] jeg var død',
      'bedre hvis jeg var død',
      'bedre [af|stillet] uden mig',
      'ingen ville|vil savne mig',
      'dræbe|dræber|dræbte|myrde mig selv',
    ],
  },
  // "jeg vil dø" is also hyperbole ("jeg vil dø af skam", "dø for en pizza"): not before such words.
  {
    id: 'da.suicide.want-die',
    level: 'urgent',
    category: 'suicide',
    patterns: ['lyst til at dø', `jeg vil ${ADV} ${ADV} dø`],
    notAfter: '{af/for/hvis/når/lidt/uden/end/hellere/grin/i}',
  },
  {
    id: 'da.suicide.method',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      'hoppe|springe|kaste|hopper|springer ~1 ud foran {toget/et tog/bilen/en bil/bussen/en bus/metroen/s toget}',
      'hoppe|springe|hopper|springer ud fra {broen/taget/altanen/vinduet/en bro/et tag}',
      'hænge|hænger mig [selv]',
      'skyde|skyder mig selv',
      'drukne|drukner mig [selv]',
      'skære|skærer mine håndled|pulsårer',
    ],
  },
  {
    id: 'da.suicide.other',
    level: 'urgent',
    category: 'suicide',
    patterns: ['slå|slår sig selv ihjel', 'tage|tager sit [eget] liv', 'vil ikke leve mere', 'har selvmordstank*'],
  },
  { id: 'da.suicide.topic', level: 'concern', category: 'suicide', patterns: ['selvmord*'] },
  // ---------------------------------------------------------------- self-harm, Danish
  {
    id: 'da.selfharm.cut',
    level: 'urgent',
    category: 'self-harm',
    patterns: [
      'skære|skærer|skar|skåret i mig selv',
      'skade|skader|skadede mig selv',
      'skåret|skar|skære|skærer|slået|slog|brændt|brændte|kradset|kradsede mig ~3 med vilje',
      'gøre|gør|gjorde mig selv fortræd|skade',
      'brænde|brænder|brændte mig selv',
      'cutter|cutte|cuttede|cuttet mig [selv]',
      '{begyndt at/startet med at/gået i gang med at} cutte',
      'cutte|cutter igen',
      'jeg selvskader',
      'har selvskadet',
    ],
  },
  {
    id: 'da.selfharm.cutter',
    level: 'urgent',
    category: 'self-harm',
    patterns: ['jeg [er|har] cutter|cuttede|cuttet'],
    notAfter: '{video*/klip*/film*/den/det/lige/musik*/lyd*/sang*/billed*/reel*/tiktok*/optagelse*/for/til/på}',
  },
  {
    id: 'da.selfharm.topic',
    level: 'concern',
    category: 'self-harm',
    patterns: ['selvskad*', 'ar på {armene/armen/benene/låret/lårene/håndleddet}', '{stoppe med/holde op med} at cutte'],
  },
  // ---------------------------------------------------------------- overdose, Danish
  {
    id: 'da.overdose.pills',
    level: 'urgent',
    category: 'overdose',
    patterns: [
      'tage|tager|tog|taget|sluge|sluger|slugte|slugt|spise|spiser|spiste|spist|æde ~2 alle|hele|mange|masse|glas|pakke|pakker|æske|æsker|bøtte|#|flere ~2 pille*|pamol*|panodil*|ipren*|paracetamol*|sovepille*|tablet*',
    ],
  },
  { id: 'da.overdose.word', level: 'concern', category: 'overdose', patterns: ['overdosis', 'overdose*'] },
  // ---------------------------------------------------------------- abuse, Danish
  {
    id: 'da.abuse.hits',
    level: 'urgent',
    category: 'abuse',
    patterns: [
      `${WHO} [har|havde] ${ADV} slår|slog|slået|sparker|sparkede|sparket|banker|bankede|banket|tæver|tævede|tævet|tæsker|tæskede|tæsket|kvæler|kvalte|kvalt|hiver|skubber|skubbede|skubbet|låser|truer|truede|truet mig`,
    ],
    notAfter: GAMES,
  },
  {
    id: 'da.abuse.beaten',
    level: 'urgent',
    category: 'abuse',
    patterns: [
      'jeg bliver|blev|bli slået|tævet|banket|sparket [hjemme|af]',
      'tør ikke {tage/gå/komme/cykle} hjem',
      'bange for at {tage/gå/komme} hjem',
      'vold {derhjemme/hjemme/hos os}',
      'slår mig derhjemme',
    ],
  },
  {
    id: 'da.sexual.abuse',
    level: 'urgent',
    category: 'sexual-abuse',
    patterns: [
      'voldtog|voldtaget|voldtage mig',
      'blev voldtaget',
      '{han/hun/de/min} ~2 rørte|rører|befamlede|befamler ved mig',
      'tvang|tvinger mig til',
      'misbrugte|misbruger mig',
      'krænkede|krænker mig',
      'seksuelt misbrugt|krænket',
    ],
  },
  { id: 'da.sexual.topic', level: 'concern', category: 'sexual-abuse', patterns: ['voldtægt*', 'seksuelt misbrug', 'krænket'] },
  {
    id: 'da.grooming',
    level: 'urgent',
    category: 'grooming',
    patterns: [
      'truer|truede med at {dele/lægge ud/sende/poste/vise/sprede} ~2 billed*|nøgenbilled*|nudes|videoen|video*',
      '{vil have/beder om/bad om/kræver/spørger efter/spurgte efter} ~2 nøgenbilled*|nudes',
      'betaler|betalte|giver mig ~2 for billed*|nudes',
      '{må ikke/ikke må} sige det til {nogen/mine forældre/min mor/min far}',
    ],
  },
  {
    id: 'da.grooming.topic',
    level: 'concern',
    category: 'grooming',
    patterns: [
      'vores [lille] hemmelighed',
      '{en voksen mand/en gammel mand/en mand på #/en fyr på #} ~3 skriver|skrev|sender',
      'sende|sendte nøgenbilled*|nudes',
    ],
  },
  {
    id: 'da.harassment',
    level: 'concern',
    category: 'harassment',
    patterns: ['{dræb dig selv/slå dig selv ihjel}', 'gå ud og dø', 'du burde dø'],
  },
  {
    id: 'da.distress',
    level: 'concern',
    category: 'distress',
    patterns: [
      'jeg hader mig selv',
      'jeg er en byrde',
      'alle hader mig',
      'ingen gider mig',
      'føler mig så|helt|totalt alene|ensom',
      'det hele er håbløst|meningsløst',
      'vil bare forsvinde',
      'tom indeni',
      'ingen vil savne mig',
    ],
  },

  // ---------------------------------------------------------------- suicide, English
  {
    id: 'en.suicide.kill-self',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      'kill|killing|killed myself',
      'kms',
      'unalive|unaliving myself',
      '{want to/wanna/gonna/going to/will/might/thinking about/thinking of/think about} unalive',
      'end my life',
      'end it all',
      'take my [own] life',
      'commit|committing suicide',
      'commit|committing sewerslide',
    ],
    notBefore: '#|{my/his/her/a}',
  },
  {
    id: 'en.suicide.wish',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      '{want to/wanna/wish to/going to/gonna} die',
      'wish [that] i was|were dead',
      'better off dead',
      'better off without me',
      '{dont want to/dont wanna/do not want to} live [anymore]',
      '{dont want to/dont wanna/do not want to} be alive [anymore]',
      '{dont want to/dont wanna/do not want to} be here anymore',
      'no reason to live',
      'hope i dont wake up',
      '{dont want to/dont wanna/do not want to} wake up',
      '{nobody/no one} would miss me',
      '{im/i am/i feel/im feeling/i m/feeling/ive been/i have been} suicidal',
      'suicidal thoughts',
      'thoughts of suicide',
      'thinking about|of suicide',
    ],
    notAfter: '{of/from/laughing/for/when/if/my/your/her/his/it/the}',
  },
  {
    id: 'en.suicide.other',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      'kill|killing himself|herself|themselves',
      '{wants to/wanna/is going to/is gonna} {kill himself/kill herself/die/end it/end his life/end her life}',
      'is suicidal',
    ],
  },
  {
    id: 'en.suicide.method',
    level: 'urgent',
    category: 'suicide',
    patterns: [
      'jump off {a bridge/the bridge/the roof/a roof/a building}',
      'jump in front of {a train/the train/a car/a bus}',
      'hang myself',
      'slit my wrists',
      'shoot myself',
      'drown myself',
    ],
  },
  { id: 'en.suicide.topic', level: 'concern', category: 'suicide', patterns: ['suicide|suicidal|sewerslide|suicde|sucide|unalive', 'ctb'] },
  {
    id: 'en.selfharm',
    level: 'urgent',
    category: 'self-harm',
    patterns: [
      'cut|cutting myself',
      'cut|hurt|burned|burnt|hit myself ~2 on purpose',
      'cutting again',
      'started cutting',
      'hurt|hurting|hurted myself',
      'burn|burning myself',
      'i self harm',
      'been self harming',
      'i {sh/self harm} again',
    ],
    notAfter: '{on paper/on a/on the/on glass/on my/while/when/shaving/cooking/by accident/accidentally/with a knife/at}',
  },
  { id: 'en.selfharm.topic', level: 'concern', category: 'self-harm', patterns: ['self harm*', 'selfharm*', 'cutting scars'] },
  // Danish young people say "cutting" for self-harm; not "cutting the grass", "cutting costs".
  {
    id: 'da.selfharm.cutting',
    level: 'concern',
    category: 'self-harm',
    patterns: ['cutting'],
    notAfter: '{the/a/an/down/back/off/out/it/edge/costs/hair/paper/board/in/through/ties/class}',
  },
  {
    id: 'en.overdose',
    level: 'urgent',
    category: 'overdose',
    patterns: [
      'take|took|swallow|swallowed|taking ~2 {all my/a bunch of/a whole bottle of/too many/a lot of/lots of/loads of/all the/#} {pills/tablets/paracetamol/painkillers/sleeping pills}',
      '{i/im/gonna/going to/want to/wanna} overdose|od',
    ],
  },
  { id: 'en.overdose.word', level: 'concern', category: 'overdose', patterns: ['overdose|overdosed|overdosing'] },
  {
    id: 'en.abuse',
    level: 'urgent',
    category: 'abuse',
    patterns: [
      `${WHO_EN} hits|hit|beats|beat|kicks|kicked|chokes|choked|hurts|hurt|slaps|slapped|punches|punched me`,
      '{i get/i got/im getting/i am getting/i was/i get} hit|beaten [at home]',
      'scared|afraid to go home',
    ],
    notAfter: GAMES_EN,
  },
  { id: 'en.abuse.beat-up', level: 'urgent', category: 'abuse', patterns: [`${WHO_EN} beats|beat|beating me up`] },
  {
    id: 'en.sexual',
    level: 'urgent',
    category: 'sexual-abuse',
    patterns: ['raped me', 'i was raped', 'got raped', '{he/she/they} ~2 touched me', 'molested me', 'sexually abused', 'forced me to'],
  },
  {
    id: 'en.grooming',
    level: 'urgent',
    category: 'grooming',
    patterns: [
      'threaten|threatening|threatened to {share/post/leak/send} ~2 {my nudes/nudes/pics/photos/pictures/videos}',
      '{asked/asks/wants} ~1 {for nudes/nudes/pics of me/photos of me}',
    ],
  },
  {
    id: 'en.grooming.topic',
    level: 'concern',
    category: 'grooming',
    patterns: ['our little secret', '{an older guy/a grown man/an adult} ~3 messaging|texting'],
  },
  { id: 'en.harassment', level: 'concern', category: 'harassment', patterns: ['kill yourself', 'go die', 'you should die'] },
  {
    id: 'en.distress',
    level: 'concern',
    category: 'distress',
    patterns: [
      'i hate myself',
      'im a burden',
      'i am a burden',
      'everyone hates me',
      'i feel so alone',
      'i cant take it anymore',
      'i just want to disappear',
    ],
  },
];

/**
 * Idioms that contain crisis words but mean nothing of the kind; masked before matching. "jeg dør af grin",
 * "killer idé", "to die for", film and band names.
 */
export const IDIOMS: string[] = [
  'dø|dør|døde|døet af grin|kedsomhed|latter|sult|varme|kulde|skam',
  'keder|kedede mig ihjel|fordærvet',
  'griner|grinede mig ihjel|fordærvet',
  'killer idé|ide|idea|ideer',
  'dræberfed*',
  'skyd løs',
  'sygt godt|fedt|nice',
  'to die for',
  'dying|died of laughter|laughing',
  'died laughing',
  'kill|killed|killing it',
  'killing me softly',
  'suicide squad',
  'suicideboys|suicideboy',
  'suicide boys',
  'selvmordsforebyg*',
  'suicide prevention',
  'selvmordsmission|selvmordsopgave|selvmordsaktion',
  'suicide mission',
  'hænge|hænger|hængte ud',
];

/** A text with one of these is joking, so an urgent signal in it counts as a concern (still a kind answer). */
export const HUMOUR =
  /(?:😂|🤣|😆|😹|💀|☠️|\blol\b|\blmao\b|\blmfao\b|\brofl\b|\bhaha+\b|\bhehe+\b|\bxd\b|\bjk\b|\bjust kidding\b|\bfor sjov\b|\bpjat\b|\bspøg\b)/iu;

/** Words that say a quoted title is a song, film or book ("'Suicidal' af YNW Melly"). */
export const MEDIA =
  /\b(?:sang|sangen|nummer|nummeret|song|track|album|film|filmen|movie|serie|serien|series|show|bog|bogen|book|lyrics|tekst|teksten|playlist|spilleliste|band|bandet|rapper|af|by)\b/iu;

/** Words right before a signal that negate it ("jeg ville aldrig slå mig selv ihjel"): urgent becomes concern. */
export const NEGATORS = 'ikke|aldrig|ik|ikk|never|not|dont|wont|wouldnt|isnt|no';
