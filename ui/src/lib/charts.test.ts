import { describe, expect, it } from "vitest";
import { barLength, fitText, labelStep, niceMax, stack, stackedMax, topWithRest } from "./charts";

describe("chart scales", () => {
  it("end on a round number at or above the largest value", () => {
    expect(niceMax(0)).toBe(0);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(10)).toBe(10);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(23)).toBe(25);
    expect(niceMax(140)).toBe(200);
    expect(niceMax(0.4)).toBe(0.5);
  });
  it("draw bars in proportion, never past the end, and a small count still visible", () => {
    expect(barLength(50, 100, 200)).toBe(100);
    expect(barLength(100, 100, 200)).toBe(200);
    expect(barLength(150, 100, 200)).toBe(200);
    expect(barLength(1, 1000, 200)).toBe(2);
    expect(barLength(0, 100, 200)).toBe(0);
    expect(barLength(null, 100, 200)).toBe(0);
    expect(barLength(5, 0, 200)).toBe(0);
  });
});

describe("the top entries and the rest", () => {
  const items: [string, number][] = [
    ["a", 5], ["b", 40], ["c", 1], ["d", 12], ["e", 12], ["f", 3], ["g", 2], ["h", 9], ["i", 7], ["j", 4],
  ];
  it("keep everything when it fits", () => {
    expect(topWithRest(items.slice(0, 3), 8)).toEqual([{ code: "b", n: 40 }, { code: "a", n: 5 }, { code: "c", n: 1 }]);
    expect(topWithRest(items.slice(0, 8), 8)).toHaveLength(8);
  });
  it("sum the rest in one entry, so there are never more than `max`", () => {
    const top = topWithRest(items, 8);
    expect(top).toHaveLength(8);
    expect(top.slice(0, 7).map((t) => t.code)).toEqual(["b", "d", "e", "h", "i", "a", "j"]);
    expect(top[7]).toEqual({ code: "", n: 3 + 2 + 1, rest: 3 });
    expect(top.reduce((s, t) => s + t.n, 0)).toBe(items.reduce((s, [, n]) => s + n, 0));
  });
  it("order equal counts by code, so the chart does not jump", () => {
    expect(topWithRest([["y", 2], ["x", 2]], 8).map((t) => t.code)).toEqual(["x", "y"]);
  });
  it("leave nothing out for an empty list", () => {
    expect(topWithRest([], 8)).toEqual([]);
  });
});

describe("stacked bars", () => {
  it("pile the series bottom first, without zeros or hidden values", () => {
    expect(stack([2, 0, 3])).toEqual([{ series: 0, start: 0, value: 2 }, { series: 2, start: 2, value: 3 }]);
    expect(stack([null, 4])).toEqual([{ series: 1, start: 0, value: 4 }]);
    expect(stackedMax([[1, 2, 3], [4, null, 0], []])).toBe(6);
  });
  it("label every k-th bar when not all labels fit", () => {
    expect(labelStep(12, 12)).toBe(1);
    expect(labelStep(12, 5)).toBe(3);
    expect(labelStep(36, 12)).toBe(3);
    expect(labelStep(0, 5)).toBe(1);
  });
});

describe("labels cut to fit", () => {
  const measure = (s: string) => s.length * 10;
  it("stay whole when they fit and end in an ellipsis when they do not", () => {
    expect(fitText("Age", 100, measure)).toBe("Age");
    expect(fitText("Nationality or relation to any community", 100, measure)).toBe("Nationali…");
    expect(measure(fitText("Nationality or relation to any community", 100, measure))).toBeLessThanOrEqual(100);
    expect(fitText("Gjini", 5, measure)).toBe("…");
  });
});
