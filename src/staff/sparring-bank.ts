import type { Locale } from '../i18n/locale.ts';

/**
 * The offline sparring answers: a curated bank of open questions, reflections and options, keyed by the
 * situation a professional describes. Every entry keeps the decision with the young people: questions that
 * open the matter up, never a verdict on their idea. Written for Pulje from the programmes' principle that
 * professionals are sparring partners, not decision-makers.
 */
export const SITUATIONS = ['all_on_one', 'not_feasible', 'budget', 'conflict', 'dominant', 'quiet', 'adult_pressure', 'general'] as const;
export type Situation = (typeof SITUATIONS)[number];

export interface SparringAnswer {
  questions: string[];
  reflections: string[];
  options: string[];
}

/** Words that point at a situation, in either language; the situation with most hits wins (ties: list order). */
const CUES: Record<Exclude<Situation, 'general'>, RegExp[]> = {
  all_on_one: [
    /\balle? (?:pengene|penge)\b/i,
    /\balt på\b/i,
    /(?:^|\s)[ée]n ting\b/i,
    /playstation|ps5|xbox|nintendo|switch|gaming|computer|tv\b|fjernsyn/i,
    /\ball (?:the|of the) money\b|\beverything on\b|\bone thing\b/i,
  ],
  not_feasible: [
    /ulovlig|forbudt|ikke lov|ikke tilladt|alkohol|øl\b|energidrik|sikkerhed|farlig|kan ikke lade sig gøre/i,
    /illegal|not allowed|forbidden|alcohol|beer|unsafe|dangerous|can't be done|cannot be done/i,
  ],
  budget: [/for dyr|rækker ikke|budget|over beløbet|koster mere/i, /too expensive|over budget|costs more|not enough money/i],
  conflict: [/skænd|uenig|konflikt|råb|sur på|mobb|drille|splittet/i, /argu|fight|conflict|disagree|shout|bully|split/i],
  dominant: [
    /bestemmer (?:det hele|alt)|de samme (?:få|to|tre)|styrer|taler hele tiden|fylder meget/i,
    /dominat|loudest|same (?:few|two|three)|talk(?:s|ing)? all the time|take(?:s)? over/i,
  ],
  quiet: [
    /ingen siger|stille|deltager ikke|ikke engageret|få stemmer|ingen stemmer|ligeglade|kommer ikke/i,
    /quiet|nobody (?:says|talks|votes)|not engaged|don't care|few votes|no one (?:comes|votes)/i,
  ],
  adult_pressure: [
    /forældr|kommunen vil|ledelsen|min kollega|chefen|jeg synes selv|vi voksne/i,
    /parents|the council wants|management|my colleague|my boss|i personally think|we adults/i,
  ],
};

export function classifySituation(text: string): Situation {
  let best: Situation = 'general';
  let hits = 0;
  for (const situation of SITUATIONS) {
    if (situation === 'general') continue;
    const n = CUES[situation].filter((cue) => cue.test(text)).length;
    if (n > hits) {
      best = situation;
      hits = n;
    }
  }
  return best;
}

export const SPARRING_BANK: Record<Locale, Record<Situation, SparringAnswer>> = {
  da: {
    all_on_one: {
      questions: [
        'Hvad er det ved den idé, der gør den vigtig for jer?',
        'Hvem i gruppen får glæde af den – og er der nogen, der ikke gør?',
        'Hvordan ser det ud om et halvt år, hvis I vælger den?',
        'Hvilke andre idéer har I talt om, og hvad skete der med dem?',
      ],
      reflections: [
        'En idé, du ikke selv ville vælge, er stadig de unges idé. Din opgave er at hjælpe dem med at se konsekvenserne, ikke at vælge for dem.',
        'Læg mærke til, om dine spørgsmål er åbne – eller om de allerede peger på et svar.',
      ],
      options: [
        'Bed gruppen om at lave en kort liste med fordele og ulemper sammen, og lad dem selv vægte den.',
        'Foreslå en afstemning mellem flere idéer, så alle stemmer bliver hørt.',
        'Hvis der er praktiske forhold (drift, opbevaring, hvem ejer tingen), så læg dem åbent frem og lad de unge finde en løsning.',
      ],
    },
    not_feasible: {
      questions: [
        'Hvad er det, I gerne vil opnå med idéen?',
        'Kan I komme i tanke om andre måder at nå det samme på?',
        'Hvem kunne I spørge for at finde ud af, hvad der kan lade sig gøre?',
      ],
      reflections: [
        'Når noget ikke kan lade sig gøre af saglige grunde, så sig grunden højt og ærligt – og adskil den fra, hvad du selv synes om idéen.',
        'Afvisningen skal stå i loggen med en saglig begrundelse (lov, sikkerhed, økonomi, ejerskab), aldrig smag.',
      ],
      options: [
        'Forklar den konkrete grund, og bed gruppen om at finde en version af idéen, der kan lade sig gøre.',
        'Inviter en fagperson (fx fra kommunen), som kan svare på de unges spørgsmål direkte.',
        'Markér forslaget som ikke muligt med en begrundelse, alle kan læse, og hjælp forfatteren med et nyt forslag.',
      ],
    },
    budget: {
      questions: [
        'Hvad er det vigtigste ved idéen, hvis den skal gøres mindre?',
        'Er der dele af den, der kan vente, eller som andre kan betale?',
        'Hvordan vil I fordele pengene, så flere idéer kan komme med?',
      ],
      reflections: [
        'At en idé er dyr, er et faktum, de unge kan forholde sig til – ikke et argument imod den.',
        'Giv dem tallene, og lad dem selv regne og prioritere.',
      ],
      options: [
        'Vis, hvad idéen koster i forhold til puljen, og lad forfatteren justere prisen.',
        'Foreslå, at gruppen undersøger tilbud eller sponsorater sammen.',
        'Brug en afstemningsform, hvor de unge fordeler pengene (fx knapsack eller pointfordeling).',
      ],
    },
    conflict: {
      questions: [
        'Hvad er det, hver side synes er vigtigt?',
        'Er der noget, I er enige om, selv om I er uenige om idéen?',
        'Hvordan vil I gerne have, at man taler sammen i gruppen, når man er uenig?',
        'Hvad skal der til, for at alle kan leve med beslutningen?',
      ],
      reflections: [
        'Uenighed er en del af at beslutte sammen; din rolle er at holde rammen, så alle kan sige deres mening trygt.',
        'Pas på med at vælge side – også med dit kropssprog og hvem du giver ordet.',
      ],
      options: [
        'Lav en runde, hvor alle siger én ting, de synes er vigtig, uden at andre afbryder.',
        'Lad gruppen selv formulere et par spilleregler for diskussionen.',
        'Lad uenigheden afgøres ved den hemmelige afstemning, som er lavet til netop det.',
      ],
    },
    dominant: {
      questions: [
        'Hvem har vi ikke hørt fra endnu?',
        'Hvordan kan alle komme til orde, også dem, der ikke skriver så meget?',
        'Hvad ville der ske, hvis vi tog en runde, hvor alle skriver én idé?',
      ],
      reflections: [
        'Tjek også din egen taletid: skriver du selv mange af beskederne?',
        'Den hemmelige afstemning giver alle én stemme – det kan være godt at minde om.',
      ],
      options: [
        'Lav en runde, hvor hver enkelt skriver sit forslag, før der diskuteres.',
        'Brug /summary til at vise, hvilke temaer der er i diskussionen, og spørg om der mangler noget.',
        'Minde om, at alle kan stemme hemmeligt, og at ingen ser, hvad den enkelte har stemt.',
      ],
    },
    quiet: {
      questions: [
        'Hvad ville gøre det sjovere eller lettere at være med?',
        'Hvad ville I bruge pengene på, hvis det kun var op til jer selv?',
        'Hvornår og hvor passer det jer bedst at snakke om det?',
      ],
      reflections: [
        'Stilhed betyder ikke altid, at de er ligeglade; måske er rammen ikke den rigtige endnu.',
        'Undgå at fylde tomrummet med dine egne idéer – det gør det sværere for de unge at komme med deres.',
      ],
      options: [
        'Start med en enkel opgave: alle skriver én idé, uanset hvor lille.',
        'Mød de unge, hvor de er (fx i klubben), og lad dem skrive deres idéer der.',
        'Sæt en tydelig frist, så de ved, hvornår der skal besluttes.',
      ],
    },
    adult_pressure: {
      questions: [
        'Hvad synes de unge selv, hvis de ser bort fra, hvad de voksne mener?',
        'Hvilke rammer er faste, og hvad er helt op til gruppen?',
        'Hvordan kan de voksnes synspunkter blive hørt uden at bestemme?',
      ],
      reflections: [
        'Beslutningsretten er de unges. Voksnes ønsker kan være gode input, men de er ikke beslutninger.',
        'Hvis rammen er lagt fast (fx af kommunen), så sig det tydeligt fra start – og kun det.',
      ],
      options: [
        'Skriv de faste rammer ned for gruppen, så alt andet er tydeligt deres.',
        'Lad de voksne komme med input som ét indlæg, og lad så de unge diskutere alene.',
        'Brug loggen til at vise, at beslutningerne er de unges.',
      ],
    },
    general: {
      questions: [
        'Hvad tænker I selv om det?',
        'Hvad er vigtigst for jer i den her beslutning?',
        'Hvilke muligheder har I, og hvad taler for hver af dem?',
        'Hvad har I brug for at vide, før I kan beslutte?',
      ],
      reflections: [
        'Stil spørgsmål, der åbner op, og lad være med at svare for dem.',
        'Beslutningen er de unges – din rolle er at støtte processen.',
      ],
      options: [
        'Giv gruppen tid og en klar ramme (beløb, frist, hvordan der stemmes).',
        'Spørg, om de vil have hjælp til at finde information – og lad dem selv vurdere den.',
        'Brug /summary til at samle op på diskussionen sammen med dem.',
      ],
    },
  },
  en: {
    all_on_one: {
      questions: [
        'What is it about this idea that makes it important to you?',
        'Who in the group benefits from it – and is there anyone who does not?',
        'What will it look like in six months if you choose it?',
        'Which other ideas have you talked about, and what happened to them?',
      ],
      reflections: [
        "An idea you would not choose yourself is still the young people's idea. Your job is to help them see the consequences, not to choose for them.",
        'Notice whether your questions are open – or whether they already point to an answer.',
      ],
      options: [
        'Ask the group to list pros and cons together, and let them weigh the list themselves.',
        'Suggest a vote between several ideas, so every voice counts.',
        'If there are practical matters (upkeep, storage, who owns it), put them openly on the table and let the young people find a solution.',
      ],
    },
    not_feasible: {
      questions: [
        'What do you want to achieve with the idea?',
        'Can you think of other ways to get the same thing?',
        'Who could you ask to find out what is possible?',
      ],
      reflections: [
        'When something cannot be done for factual reasons, say the reason out loud and honestly – and keep it apart from what you think of the idea.',
        'The decision goes in the log with a factual reason (law, safety, money, ownership), never taste.',
      ],
      options: [
        'Explain the concrete reason and ask the group to find a version of the idea that can be done.',
        "Invite an expert (e.g. from the council) to answer the young people's questions directly.",
        'Mark the idea as not possible with a reason everyone can read, and help its author with a new one.',
      ],
    },
    budget: {
      questions: [
        'What matters most about the idea if it has to be made smaller?',
        'Are there parts of it that can wait, or that others could pay for?',
        'How do you want to share the money so that more ideas can be part of it?',
      ],
      reflections: [
        'That an idea is expensive is a fact the young people can work with – not an argument against it.',
        'Give them the numbers and let them do the sums and the priorities.',
      ],
      options: [
        'Show what the idea costs against the pot, and let its author adjust the price.',
        'Suggest the group looks for quotes or sponsors together.',
        'Use a ballot where the young people share out the money (knapsack or points).',
      ],
    },
    conflict: {
      questions: [
        'What does each side think is important?',
        'Is there anything you agree on, even if you disagree about the idea?',
        'How do you want people to talk to each other in the group when they disagree?',
        'What would it take for everyone to be able to live with the decision?',
      ],
      reflections: [
        'Disagreement is part of deciding together; your role is to hold the frame so everyone can speak safely.',
        'Be careful not to take sides – also with your body language and whom you give the floor.',
      ],
      options: [
        'Do a round where everyone says one thing they think is important, without interruptions.',
        'Let the group write a few ground rules for the discussion themselves.',
        'Let the secret ballot, which is made for exactly this, settle the disagreement.',
      ],
    },
    dominant: {
      questions: [
        "Who haven't we heard from yet?",
        "How can everyone get a say, also those who don't write much?",
        'What would happen if we did a round where everyone writes one idea?',
      ],
      reflections: [
        'Check your own share too: are you writing many of the messages yourself?',
        'The secret ballot gives everyone one vote – it can help to remind them.',
      ],
      options: [
        'Do a round where each person writes their idea before any discussion.',
        'Use /summary to show which themes are in the discussion, and ask if anything is missing.',
        'Remind them that everyone votes in secret and nobody sees what anyone voted.',
      ],
    },
    quiet: {
      questions: [
        'What would make it more fun or easier to take part?',
        'What would you spend the money on if it were only up to you?',
        'When and where would it suit you best to talk about it?',
      ],
      reflections: [
        "Silence does not always mean they don't care; maybe the setting is not right yet.",
        'Avoid filling the silence with your own ideas – it makes it harder for the young people to bring theirs.',
      ],
      options: [
        'Start with a simple task: everyone writes one idea, however small.',
        'Meet the young people where they are (e.g. at the club) and let them write their ideas there.',
        'Set a clear deadline, so they know when the decision is made.',
      ],
    },
    adult_pressure: {
      questions: [
        'What do the young people think, leaving aside what the adults want?',
        'Which limits are fixed, and what is entirely up to the group?',
        "How can the adults' views be heard without deciding?",
      ],
      reflections: [
        "The power to decide is the young people's. Adults' wishes can be good input, but they are not decisions.",
        'If a limit is fixed (by the council, say), state it clearly from the start – and only that.',
      ],
      options: [
        'Write down the fixed limits for the group, so everything else is clearly theirs.',
        'Let the adults give their input as one contribution, and then let the young people discuss alone.',
        "Use the log to show that the decisions are the young people's.",
      ],
    },
    general: {
      questions: [
        'What do you think about it yourselves?',
        'What matters most to you in this decision?',
        'Which options do you have, and what speaks for each?',
        'What do you need to know before you can decide?',
      ],
      reflections: [
        "Ask questions that open things up, and don't answer for them.",
        "The decision is the young people's – your role is to support the process.",
      ],
      options: [
        'Give the group time and a clear frame (amount, deadline, how voting works).',
        'Ask if they want help finding information – and let them judge it themselves.',
        'Use /summary to go over the discussion together with them.',
      ],
    },
  },
};
