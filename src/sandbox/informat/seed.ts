import Big from 'big.js';
import { makeOgm } from '../../domain/ogm.js';
import { schoolYearOf } from '../../domain/invoiceFilter.js';
import { createRandom, type Random } from '../random.js';
import type { AddressRecord, Deelboek, InformatData, InvoiceGroupRecord, InvoiceGroupType, InvoiceRecord, ItemGroupRecord } from './model.js';

/** The access group of the Informat document's examples. */
export const SAMPLE_ACCESS_GROUP = {
  identifier: 'f451ca37-411c-49ea-a544-29598ea22b82_123456',
  guid: 'f451ca37-411c-49ea-a544-29598ea22b82',
  name: 'ToegangsgroepABC',
};
/** The access group of the document's payment sample, here a second school. */
export const SECOND_ACCESS_GROUP = {
  identifier: '943d5e11-9910-4251-bfce-d1e64c533cc3_502052',
  guid: '943d5e11-9910-4251-bfce-d1e64c533cc3',
  name: 'ToegangsgroepXYZ',
};
export const SAMPLE_INVOICE_ID = 'cac965e9-e889-4dd5-a3d7-a7a25dfb31f8';
/** An invoice with a large PDF (25 MiB), for streaming tests and benchmarks. */
export const LARGE_PDF_INVOICE_ID = '7a1d2c3e-0000-4000-8000-00000000f11e';

export interface SeedOptions {
  seed?: number;
  /** Invoices in each generated monthly STUDENT group. @default 120 */
  invoicesPerGroup?: number;
  /** The day whose school year is seeded besides the fixed ones (lists default to it). @default now */
  today?: Date;
}

const money = (v: Big | string | number): string => new Big(v).toFixed(2);

function deelboeken(): Map<number, Deelboek> {
  const years = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ from: `${from + i}-01-01`, to: `${from + i}-12-31` }));
  return new Map<number, Deelboek>([
    [31, { id: 31, journals: ['Extern', 'Extern_Dubieus'], periods: years(2020, 2027) }],
    // Staff invoices: no bad-debt journal, so `isBadDebt` payments fail as the document describes.
    [32, { id: 32, journals: ['Extern'], periods: years(2020, 2027) }],
    // Two journals named Extern in the VZW: "Section Id not found".
    [33, { id: 33, journals: ['Extern', 'Extern'], periods: years(2020, 2027) }],
    [41, { id: 41, journals: ['Extern', 'Extern_Dubieus'], periods: years(2023, 2026) }],
  ]);
}

/** The document's sample invoice, every field as the document shows it. */
function sampleInvoice(): InvoiceRecord {
  const relations = [
    { name: 'Verheghe Harald', title: 'Vader', nationalNumber: null, lpv: 2 },
    { name: 'Wolkarius Ann', title: 'Moeder', nationalNumber: '84080651242', lpv: 1 },
  ];
  return {
    invoiceId: SAMPLE_INVOICE_ID,
    accessGroup: SAMPLE_ACCESS_GROUP.identifier,
    invoiceGroupId: 8053,
    booked: true,
    deelboek: 31,
    invoiceType: 'INVOICE',
    printDate: '2020-10-31',
    dueDate: '2020-11-30',
    total: '65.10',
    paid: '0.00',
    paymentReference: '000282332442',
    paymentReferenceInvoice: null,
    eolEntryNumber: null,
    created: '2020-10-13T12:02:03.067Z',
    changed: '2020-11-16T10:38:31.797Z',
    pdf: { state: 'none', readyAt: 0, sizeBytes: 4096 },
    recipient: {
      id: '9f7cf737-bbd3-4333-84ea-f145cc722591',
      databaseId: 67689,
      firstName: 'Mats',
      lastName: 'Verheghe',
      birthDate: '2010-02-03',
      stamNumber: '201200008',
      location: 'post 12',
      institute: '016981',
      class: 'L5C',
      classNumber: 2,
      code: null,
      rrNo: '10020342232',
      bisNo: null,
    },
    mandate: {
      beginDate: '2021-04-16',
      creditorId: 'BE78ZZZ0447943822',
      ibanSchool: 'BE94.0622.1062.4514',
      mandateReference: '2',
      ibanParent: 'BE13.6685.9758.8700',
      bicParent: 'GKCCBEBB',
    },
    invoiceAddress: {
      databaseId: 75215,
      addressGuid: '5e2cde0d-bfd9-41ee-8f18-6c6e27a672c2',
      title: 'Aan de vader van',
      name: 'Mats Verheghe',
      street: 'Vaartstraat',
      number: '8',
      busNumber: '',
      zip: '8600',
      city: 'DIKSMUIDE',
      emailAddresses: 'jasper.verheghe@gmail.com',
      relations,
    },
    homeAddress: {
      databaseId: 170465,
      addressGuid: '9fa516bd-f5ff-431a-87b5-ef18f50d04e0',
      title: 'Aan de ouder(s) van',
      name: 'Mats Verheghe',
      street: 'Wallestraat',
      number: '15',
      busNumber: 'A',
      zip: '8820',
      city: 'TORHOUT',
      emailAddresses: 'jasper.verheghe@gmail.com,ann@homedecor.be',
      relations,
    },
    itemGroups: [
      {
        code: 'MEEUIT', description: 'Meerdaagse uitstappen', glAccountCode: '700700', codeBudgetExtern: '2021/700700', total: '26.00',
        items: [{ description: 'Openluchtklassen', extraName: '1e schijf', quantity: '1.00', unitPrice: '26.00', discountPercentage: '0.00', discountAmount: '0.00', total: '26.00' }],
      },
      {
        code: 'MTZ', description: 'Middagtoezicht', glAccountCode: '703460', codeBudgetExtern: '2021/703460', total: '14.40',
        items: [{ description: 'Middagtoezicht', extraName: '', quantity: '9.00', unitPrice: '1.60', discountPercentage: '0.00', discountAmount: '0.00', total: '14.40' }],
      },
      {
        code: 'NASOPV', description: 'Naschoolse opvang', glAccountCode: '703470', codeBudgetExtern: '2021/703470', total: '3.20',
        items: [
          { description: 'Naschoolse opvang', extraName: '', quantity: '14.00', unitPrice: '0.20', discountPercentage: '0.00', discountAmount: '0.00', total: '2.80' },
          { description: 'Studie', extraName: '', quantity: '2.00', unitPrice: '0.20', discountPercentage: '0.00', discountAmount: '0.00', total: '0.40' },
        ],
      },
      // The document cuts the list off after three groups ("..."); this one makes the lines add up to the total 65.10.
      {
        code: 'ZWEM', description: 'Zwemmen', glAccountCode: '700710', codeBudgetExtern: '2021/700710', total: '21.50',
        items: [{ description: 'Zwembeurten', extraName: '1e trimester', quantity: '5.00', unitPrice: '4.30', discountPercentage: '0.00', discountAmount: '0.00', total: '21.50' }],
      },
    ],
  };
}

const FIRST = ['Mats', 'Lotte', 'Noah', 'Emma', 'Lucas', 'Louise', 'Arthur', 'Olivia', 'Jules', 'Mila', 'Finn', 'Elise', 'Vic', 'Marie', 'Lars', 'Nina'];
const LAST = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Dubois', 'Lambert', 'Verheghe', 'Vermeulen'];
const STREETS = ['Kerkstraat', 'Stationsstraat', 'Dorpstraat', 'Schoolstraat', 'Molenstraat', 'Nieuwstraat', 'Vaartstraat', 'Wallestraat'];
const CITIES: [string, string][] = [['8600', 'DIKSMUIDE'], ['8820', 'TORHOUT'], ['8000', 'BRUGGE'], ['9000', 'GENT'], ['2000', 'ANTWERPEN'], ['3000', 'LEUVEN'], ['8500', 'KORTRIJK']];
const CLASSES = ['1A', '1B', '2A', '3C', 'L4A', 'L5C', 'L6B', 'K3'];
const CATALOG = [
  { code: 'MEEUIT', description: 'Meerdaagse uitstappen', gl: '700700', items: [['Openluchtklassen', '26.00'], ['Bosklassen', '85.00']] },
  { code: 'MTZ', description: 'Middagtoezicht', gl: '703460', items: [['Middagtoezicht', '1.60']] },
  { code: 'NASOPV', description: 'Naschoolse opvang', gl: '703470', items: [['Naschoolse opvang', '0.20'], ['Studie', '0.20']] },
  { code: 'ZWEM', description: 'Zwemmen', gl: '700710', items: [['Zwembeurten', '4.30']] },
  { code: 'BOEK', description: 'Boeken en werkschriften', gl: '700100', items: [['Werkschrift wiskunde', '12.50'], ['Leesboek', '9.95']] },
  { code: 'KOPIE', description: 'Kopies', gl: '700200', items: [['Kopies', '0.05']] },
] as const;
const MONTHS = ['SEPTEMBER', 'OKTOBER', 'NOVEMBER', 'DECEMBER', 'JANUARI', 'FEBRUARI', 'MAART', 'APRIL', 'MEI', 'JUNI'];

function lastDay(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

class Generator {
  private ogmCounter = 1_000_000;
  private dbId = 100_000;
  private readonly invoicesByGroup = new Map<number, InvoiceRecord[]>();

  constructor(private readonly rnd: Random, private readonly data: InformatData) {}

  group(ag: string, id: number, name: string, type: InvoiceGroupType, schoolYear: string, fromDate: string, toDate: string): InvoiceGroupRecord {
    const g = { id, accessGroup: ag, name, invoiceGroupType: type, schoolYear, fromDate, toDate };
    this.data.groups.push(g);
    return g;
  }

  private address(first: string, last: string, title: string | null): AddressRecord {
    const [zip, city] = this.rnd.pick(CITIES);
    const email = `${first}.${last}`.toLowerCase().replace(/\s/g, '') + '@example.be';
    return {
      databaseId: this.dbId++,
      addressGuid: this.rnd.uuid(),
      title,
      name: title === null ? null : `${first} ${last}`,
      street: this.rnd.pick(STREETS),
      number: String(this.rnd.int(1, 180)),
      busNumber: this.rnd.chance(0.15) ? this.rnd.pick(['A', 'B', '1', '2']) : '',
      zip,
      city,
      emailAddresses: this.rnd.chance(0.3) ? `${email},ouder.${email}` : email,
      relations: [
        { name: `${last} ${this.rnd.pick(FIRST)}`, title: 'Vader', nationalNumber: null, lpv: 2 },
        { name: `${this.rnd.pick(LAST)} ${this.rnd.pick(FIRST)}`, title: 'Moeder', nationalNumber: null, lpv: 1 },
      ],
    };
  }

  private items(credit: boolean): ItemGroupRecord[] {
    const count = this.rnd.int(1, 3);
    const chosen = [...CATALOG].sort(() => this.rnd.next() - 0.5).slice(0, count);
    const sign = credit ? -1 : 1;
    return chosen.map((c) => {
      const items = c.items.slice(0, this.rnd.int(1, c.items.length)).map(([description, price]) => {
        const qty = new Big(this.rnd.int(1, 20) * sign);
        const pct = this.rnd.chance(0.1) ? new Big(10) : new Big(0);
        const gross = qty.times(price);
        // discountAmount = price * qty * percentage, rounded to cents (change log of 25-08-2022).
        const discount = gross.times(pct).div(100).round(2);
        return {
          description,
          extraName: '',
          quantity: money(qty),
          unitPrice: money(price),
          discountPercentage: money(pct),
          discountAmount: money(discount),
          total: money(gross.minus(discount)),
        };
      });
      const total = items.reduce((s, i) => s.plus(i.total), new Big(0));
      return { code: c.code, description: c.description, glAccountCode: c.gl, codeBudgetExtern: `2024/${c.gl}`, total: money(total), items };
    });
  }

  invoice(g: InvoiceGroupRecord, deelboek: number, forceType?: 'INVOICE' | 'CREDIT_NOTE'): InvoiceRecord {
    const rnd = this.rnd;
    const credit = forceType ? forceType === 'CREDIT_NOTE' : rnd.chance(0.08);
    const itemGroups = this.items(credit);
    const total = itemGroups.reduce((s, i) => s.plus(i.total), new Big(0)).abs();
    const owed = credit ? total.times(-1) : total;
    const state = rnd.next();
    const paid = state < 0.4 ? owed : state < 0.55 ? owed.div(2).round(2) : new Big(0);
    const first = rnd.pick(FIRST);
    const last = rnd.pick(LAST);
    const printDay = rnd.int(0, Math.max(0, (Date.parse(g.toDate) - Date.parse(g.fromDate)) / 86_400_000));
    const printDate = new Date(Date.parse(g.fromDate) + printDay * 86_400_000).toISOString().slice(0, 10);
    const dueDate = credit ? printDate : new Date(Date.parse(printDate) + 30 * 86_400_000).toISOString().slice(0, 10);
    const created = new Date(Date.parse(printDate) - rnd.int(1, 10) * 86_400_000 + rnd.int(0, 86_399_999)).toISOString();
    const changed = paid.eq(0) ? created : new Date(Date.parse(printDate) + rnd.int(1, 60) * 86_400_000 + rnd.int(0, 86_399_999)).toISOString();
    const earlier = this.invoicesByGroup.get(g.id)?.find((i) => i.invoiceType === 'INVOICE');
    const noName = rnd.chance(0.03);
    const rec: InvoiceRecord = {
      invoiceId: rnd.uuid(),
      accessGroup: g.accessGroup,
      invoiceGroupId: g.id,
      booked: !rnd.chance(0.02),
      deelboek,
      invoiceType: credit ? 'CREDIT_NOTE' : 'INVOICE',
      printDate,
      dueDate,
      total: money(total),
      paid: money(paid),
      paymentReference: makeOgm(this.ogmCounter++),
      paymentReferenceInvoice: credit ? (earlier?.paymentReference ?? null) : null,
      eolEntryNumber: rnd.chance(0.1) ? String(rnd.int(10_000, 99_999)) : null,
      created,
      changed,
      pdf: rnd.chance(0.3) ? { state: 'ready', readyAt: 0, sizeBytes: rnd.int(3_000, 40_000) } : { state: 'none', readyAt: 0, sizeBytes: rnd.int(3_000, 40_000) },
      recipient: {
        id: rnd.uuid(),
        databaseId: this.dbId++,
        firstName: first,
        lastName: last,
        birthDate: `${rnd.int(2005, 2019)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
        stamNumber: g.invoiceGroupType === 'STUDENT' ? String(rnd.int(200_000_000, 209_999_999)) : null,
        location: g.invoiceGroupType === 'STUDENT' || g.invoiceGroupType === 'INTERN' ? `post ${rnd.int(1, 20)}` : null,
        institute: g.invoiceGroupType === 'REGISTRATION' ? 'Internaat De Linde' : '016981',
        class: g.invoiceGroupType === 'STUDENT' ? rnd.pick(CLASSES) : null,
        classNumber: g.invoiceGroupType === 'STUDENT' ? rnd.int(1, 28) : null,
        code: null,
        rrNo: null,
        bisNo: null,
      },
      mandate: rnd.chance(0.35)
        ? { beginDate: '2021-09-01', creditorId: 'BE78ZZZ0447943822', ibanSchool: 'BE94.0622.1062.4514', mandateReference: String(rnd.int(3, 9999)), ibanParent: 'BE13.6685.9758.8700', bicParent: 'GKCCBEBB' }
        : null,
      invoiceAddress: this.address(first, last, noName ? null : rnd.pick(['Aan de ouder(s) van', 'Aan de vader van', 'Aan de moeder van'])),
      homeAddress: this.address(first, last, 'Aan de ouder(s) van'),
      itemGroups,
    };
    this.data.invoices.set(rec.invoiceId, rec);
    const list = this.invoicesByGroup.get(g.id) ?? [];
    list.push(rec);
    this.invoicesByGroup.set(g.id, list);
    return rec;
  }

  schoolYear(ag: string, startYear: number, firstGroupId: number, perGroup: number, registrationDeelboek: number): number {
    const sy = `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
    let id = firstGroupId;
    MONTHS.forEach((month, i) => {
      const m = ((8 + i) % 12) + 1;
      const year = m >= 9 ? startYear : startYear + 1;
      const g = this.group(ag, id++, `Rekening ${month} ${year}`, 'STUDENT', sy, `${year}-${String(m).padStart(2, '0')}-01`, lastDay(year, m));
      for (let n = 0; n < perGroup; n++) this.invoice(g, ag === SAMPLE_ACCESS_GROUP.identifier ? 31 : 41);
    });
    const staff = this.group(ag, id++, `Personeel ${sy}`, 'STAFF', sy, `${startYear}-09-01`, `${startYear + 1}-08-31`);
    for (let n = 0; n < 20; n++) this.invoice(staff, ag === SAMPLE_ACCESS_GROUP.identifier ? 32 : 41);
    const regYear = `01/09/${startYear}-31/08/${startYear + 1}`;
    const reg = this.group(ag, id++, `Inschrijvingen internaat ${sy}`, 'REGISTRATION', regYear, `${startYear}-09-01`, `${startYear + 1}-08-31`);
    for (let n = 0; n < 50; n++) this.invoice(reg, registrationDeelboek);
    return id;
  }
}

/** Builds the sandbox's Informat data: the document's examples plus deterministic bulk data. */
export function seedInformat(opts: SeedOptions = {}): InformatData {
  const data: InformatData = {
    accessGroups: [SAMPLE_ACCESS_GROUP, SECOND_ACCESS_GROUP],
    deelboeken: deelboeken(),
    groups: [],
    invoices: new Map(),
  };
  const gen = new Generator(createRandom(opts.seed ?? 42), data);
  const perGroup = opts.invoicesPerGroup ?? 120;
  const abc = SAMPLE_ACCESS_GROUP.identifier;

  // The document's two invoice groups of 2020-21, the sample invoice in October's.
  const sept = gen.group(abc, 8052, 'Rekening SEPTEMBER 2020', 'STUDENT', '2020-21', '2020-09-01', '2020-09-30');
  const oct = gen.group(abc, 8053, 'Rekening OKTOBER 2020', 'STUDENT', '2020-21', '2020-10-01', '2020-10-25');
  const sample = sampleInvoice();
  data.invoices.set(sample.invoiceId, sample);
  for (let n = 0; n < 30; n++) gen.invoice(sept, 31);
  for (let n = 0; n < 30; n++) gen.invoice(oct, 31);
  gen.invoice(oct, 31, 'CREDIT_NOTE');
  const large = gen.invoice(oct, 31, 'INVOICE');
  data.invoices.delete(large.invoiceId);
  large.invoiceId = LARGE_PDF_INVOICE_ID;
  large.booked = true;
  large.pdf = { state: 'ready', readyAt: 0, sizeBytes: 25 * 1024 * 1024 };
  data.invoices.set(large.invoiceId, large);

  let nextId = 8054;
  for (const year of [2021, 2022, 2023, 2024]) nextId = gen.schoolYear(abc, year, nextId, perGroup, year === 2021 ? 33 : 31);
  gen.schoolYear(SECOND_ACCESS_GROUP.identifier, 2023, 9100, Math.max(1, Math.floor(perGroup / 3)), 41);
  // The school year of today, so that lists that default to it (`invoices` across sources) find invoices;
  // added last, so the years above stay the same whatever today is.
  const current = Number(schoolYearOf(opts.today ?? new Date()).slice(0, 4));
  if (current > 2024) {
    gen.schoolYear(abc, current, nextId, perGroup, 31);
    gen.schoolYear(SECOND_ACCESS_GROUP.identifier, current, 9200, Math.max(1, Math.floor(perGroup / 3)), 41);
  }
  return data;
}

/** Open amount as Informat computes it: what is owed minus what was paid; credit notes owe negatively. */
export function openAmount(inv: Pick<InvoiceRecord, 'invoiceType' | 'total' | 'paid'>): string {
  const owed = inv.invoiceType === 'CREDIT_NOTE' ? new Big(inv.total).times(-1) : new Big(inv.total);
  return owed.minus(inv.paid).toFixed(2);
}
