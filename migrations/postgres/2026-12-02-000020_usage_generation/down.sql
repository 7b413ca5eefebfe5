DROP TABLE usage_generations;
